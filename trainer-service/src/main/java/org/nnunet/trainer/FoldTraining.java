package org.nnunet.trainer;

import org.jboss.logging.Logger;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerCheckpoint;
import org.nnunet.training.TrainerSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Trains one (version, configuration, fold) on a local mirror, like {@code nnUNet_train -c CONFIG nnUNetTrainerV2
 * TASK FOLD} followed by validation: downloads the plans, splits, the configuration's stage folder, gt_segmentations
 * and any {@code model_latest} the store already has for the fold (so a crashed or rebalanced training resumes from
 * its last uploaded checkpoint), uploads {@code model_latest} whenever the trainer writes it, and finally uploads
 * the whole fold folder (final checkpoint, validation_raw with its summary.json).
 *
 * <p>The cascade, as {@code nnUNet_train} runs it: a 3d_lowres fold then predicts its held-out cases for the next
 * stage and uploads them; a 3d_cascade_fullres fold downloads all of them and trains nnUNetTrainerV2CascadeFullRes.
 *
 * <p>A checkpoint is three objects, and a replica can die (SIGKILL, node loss) between two puts, leaving
 * {@code model_latest.*} assembled from two saves. So each save is first uploaded whole as
 * {@code model_latest_staged.*} and then copied server-side over {@code model_latest.*}: a crash during the upload
 * leaves {@code model_latest} intact, a crash during the copies leaves the staged set intact. Resuming takes
 * whichever of the two passes its checksums ({@link TrainerCheckpoint#isIntact}) and first repairs
 * {@code model_latest} from the staged set, so one intact set exists at every moment.
 */
final class FoldTraining {

    /** The outcome: validation metrics and where the final checkpoint is. */
    record Result(Map<String, Double> metrics, String checkpointKey, int resumedFromEpoch) {
    }

    private static final Logger LOG = Logger.getLogger(FoldTraining.class);
    private static final String LATEST = "model_latest";
    private static final String STAGED = "model_latest_staged";
    private static final List<String> CHECKPOINT_PARTS = List.of(".model", ".model.optimizer", ".model.json");

    private final ObjectStore store;
    private final TrainerConfig config;

    FoldTraining(ObjectStore store, TrainerConfig config) {
        this.store = store;
        this.config = config;
    }

    /**
     * @param afterEpoch    called after every epoch that does not end the training (lease renewal, progress metric)
     * @param stopRequested asked after each such epoch; true ends the training early with {@code model_latest}
     *                      uploaded, and {@link InboundEvents.Redeliver} is thrown so the request is trained on later
     */
    Result run(VersionLayout version, String configuration, int fold, IntConsumer afterEpoch,
               BooleanSupplier stopRequested) throws IOException {
        Path work = Files.createTempDirectory("nnunet-train-" + version.task() + "-" + configuration + "-" + fold);
        try {
            Path preprocessed = work.resolve("preprocessed");
            downloadInputs(version, configuration, preprocessed);
            String foldPrefix = version.fold(configuration, fold);
            Path foldDir = work.resolve("fold_" + fold);
            downloadLatestCheckpoint(foldPrefix, foldDir, work.resolve("staged"));
            TrainerSettings settings = new TrainerSettings(configuration, fold, config.epochs(), config.iterations(),
                    config.validationBatches(), config.saveEvery(), config.dataWorkers(), config.seed(),
                    config.device(), config.saveSoftmax());
            Path previousStage = settings.isCascade() ? downloadNextStagePredictions(version, work) : null;
            try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings, preprocessed, foldDir, previousStage,
                    LOG::info)) {
                int resumedFrom = 0;
                if (TrainerCheckpoint.exists(foldDir, LATEST)) {
                    trainer.loadLatestCheckpoint();
                    resumedFrom = trainer.progress().epoch();
                }
                long[] uploaded = {lastModified(foldDir)};
                boolean finished = trainer.train(() -> {
                    afterEpoch.accept(trainer.progress().epoch());
                    uploaded[0] = uploadLatestIfChanged(foldDir, foldPrefix, uploaded[0]);
                    return stopRequested.getAsBoolean();
                });
                if (!finished) {
                    uploadLatestIfChanged(foldDir, foldPrefix, uploaded[0]);
                    throw new InboundEvents.Redeliver("stopped after epoch " + trainer.progress().epoch() + " of "
                            + foldPrefix + "; model_latest is in the store");
                }
                EvaluationSummary summary = trainer.validate(preprocessed.resolve("gt_segmentations"));
                int classes = trainer.network().architecture().numClasses();
                if (trainer.hasNextStage()) {
                    uploadNextStagePredictions(trainer.predictNextStage(), version);
                }
                StoreFolders.upload(store, foldDir, foldPrefix);
                return new Result(metrics(summary, classes), foldPrefix + "model_final_checkpoint.model", resumedFrom);
            }
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }

    /** Mean validation Dice per foreground class and their mean ({@code mean_dice}, what model selection compares). */
    static Map<String, Double> metrics(EvaluationSummary summary, int classes) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        double sum = 0;
        for (int c = 1; c < classes; c++) {
            double dice = summary.meanDice(c);
            metrics.put("dice_class_" + c, dice);
            sum += dice;
        }
        metrics.put("mean_dice", sum / (classes - 1));
        return metrics;
    }

    /**
     * v1 run_training after a 3d_lowres fold's validation ({@code predict_next_stage}): the fold's held-out cases,
     * one {@code <case>_segFromPrevStage.npz} each, go to {@link VersionLayout#nextStagePredictions}. Each object is
     * put whole and a redelivered fold writes the same keys again, so the step is atomic per case and idempotent;
     * it runs before the fold's DONE, so a fold counted as trained has its predictions in the store.
     */
    private void uploadNextStagePredictions(Path folder, VersionLayout version) throws IOException {
        List<String> keys = StoreFolders.upload(store, folder, version.nextStagePredictions());
        LOG.infof("uploaded %d next-stage predictions to %s", keys.size(), version.nextStagePredictions());
    }

    /**
     * 3d_cascade_fullres: every 3d_lowres fold's {@code pred_next_stage} files; the trainer refuses (naming the
     * folder and the case) when a case of the split has none, which sends the request to the dead-letter topic.
     */
    private Path downloadNextStagePredictions(VersionLayout version, Path work) throws IOException {
        Path folder = work.resolve("3d_lowres").resolve(PreviousStageSegmentations.FOLDER);
        int n = StoreFolders.download(store, version.nextStagePredictions(), folder);
        if (n == 0) {
            throw new IOException(store.location() + "/" + version.nextStagePredictions() + ": no 3d_lowres "
                    + "predictions for the next stage; 3d_cascade_fullres needs every 3d_lowres fold trained first");
        }
        LOG.infof("downloaded %d 3d_lowres predictions from %s", n, version.nextStagePredictions());
        return folder;
    }

    /**
     * Top-level files (plans, dataset.json, splits), the configuration's stage folder (3d_lowres: also the
     * full-resolution stage) and gt_segmentations.
     */
    private void downloadInputs(VersionLayout version, String configuration, Path dir) throws IOException {
        String prefix = version.preprocessed();
        Path plansFile = dir.resolve("2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D);
        for (ObjectInfo o : store.list(prefix)) {
            String rel = o.key().substring(prefix.length());
            if (!rel.contains("/")) {
                fetch(o.key(), dir.resolve(rel));
            }
        }
        Plans plans = PlansIO.read(plansFile);
        int stage = plans.stageIndexFor(configuration);
        String stageFolder = plans.dataIdentifier() + "_stage" + stage + "/";
        int n = StoreFolders.download(store, prefix + stageFolder, dir.resolve(stageFolder));
        if ("3d_lowres".equals(configuration)) {
            // predict_next_stage resizes each prediction to the case's shape in the full-resolution stage
            String next = plans.dataIdentifier() + "_stage" + (stage + 1) + "/";
            n += StoreFolders.download(store, prefix + next, dir.resolve(next));
        }
        StoreFolders.download(store, prefix + "gt_segmentations/", dir.resolve("gt_segmentations"));
        LOG.infof("downloaded %d objects of %s for %s", n, stageFolder, configuration);
    }

    /**
     * Puts the fold's last intact {@code model_latest} from the store into {@code foldDir}: {@code model_latest.*}
     * if it passes its checksums, else the staged set of an interrupted publish (then copied over
     * {@code model_latest.*} in the store before training goes on); neither: the fold starts from scratch.
     */
    private void downloadLatestCheckpoint(String foldPrefix, Path foldDir, Path stagedDir) throws IOException {
        if (fetchCheckpoint(foldPrefix, LATEST, foldDir)) {
            if (TrainerCheckpoint.isIntact(foldDir, LATEST)) {
                return;
            }
            LOG.warnf("%s%s.* is not one save (replica died while publishing it): trying %s", foldPrefix, LATEST,
                    STAGED);
            for (String part : CHECKPOINT_PARTS) {
                Files.deleteIfExists(foldDir.resolve(LATEST + part));
            }
        }
        if (fetchCheckpoint(foldPrefix, STAGED, stagedDir) && TrainerCheckpoint.isIntact(stagedDir, STAGED)) {
            for (String part : CHECKPOINT_PARTS) {
                Files.createDirectories(foldDir);
                Files.copy(stagedDir.resolve(STAGED + part), foldDir.resolve(LATEST + part),
                        StandardCopyOption.REPLACE_EXISTING);
                store.copy(foldPrefix + STAGED + part, foldPrefix + LATEST + part);
            }
            LOG.infof("repaired %s%s from %s", foldPrefix, LATEST, STAGED);
        } else if (store.exists(foldPrefix + LATEST + ".model.json")) {
            LOG.warnf("no intact %s in %s: training starts from scratch", LATEST, foldPrefix);
        }
    }

    /** Downloads {@code name.model}, {@code .model.optimizer}, {@code .model.json}; false when one is missing. */
    private boolean fetchCheckpoint(String foldPrefix, String name, Path dir) throws IOException {
        for (String part : CHECKPOINT_PARTS) {
            if (!store.exists(foldPrefix + name + part)) {
                return false;
            }
        }
        for (String part : CHECKPOINT_PARTS) {
            fetch(foldPrefix + name + part, dir.resolve(name + part));
        }
        return true;
    }

    private long uploadLatestIfChanged(Path foldDir, String foldPrefix, long uploadedAt) {
        try {
            long modified = lastModified(foldDir);
            if (modified > uploadedAt) {
                for (String part : CHECKPOINT_PARTS) {
                    store.put(foldPrefix + STAGED + part, foldDir.resolve(LATEST + part));
                }
                for (String part : CHECKPOINT_PARTS) {
                    store.copy(foldPrefix + STAGED + part, foldPrefix + LATEST + part);
                }
                LOG.infof("uploaded %s to %s", LATEST, foldPrefix);
            }
            return modified;
        } catch (IOException e) {
            // a failed upload only costs progress after a crash; the next save tries again
            LOG.warnf(e, "could not upload %s to %s", LATEST, foldPrefix);
            return uploadedAt;
        }
    }

    private static long lastModified(Path foldDir) throws IOException {
        Path meta = foldDir.resolve(LATEST + ".model.json");
        return Files.exists(meta) ? Files.getLastModifiedTime(meta).toMillis() : 0;
    }

    private void fetch(String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = store.get(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
