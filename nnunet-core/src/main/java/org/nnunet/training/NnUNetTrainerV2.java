package org.nnunet.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.augmentation.AugmentationPipeline;
import org.nnunet.augmentation.PatchBatch;
import org.nnunet.dataloading.BackgroundBatchGenerator;
import org.nnunet.dataloading.DataLoader;
import org.nnunet.dataloading.ForegroundOversampling;
import org.nnunet.dataloading.PreprocessedDataset;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.inference.FoldValidator;
import org.nnunet.inference.NextStagePredictor;
import org.nnunet.inference.SlidingWindowPredictor;
import org.nnunet.inference.V1SoftmaxResampler;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NetworkPatchPredictor;
import org.nnunet.network.NetworkDevice;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.MappedNpy;

/**
 * nnUNetTrainerV2 for one configuration and fold: Generic_UNet with deep supervision from the plans, DC_and_CE loss,
 * Nesterov SGD with the poly learning rate, moreDA augmentation on background threads, 250 training iterations and 50
 * validation batches per epoch, the "global Dice" of the validation batches with its moving average deciding
 * {@code model_best}, {@code model_latest} every 50 epochs and {@code model_final_checkpoint} at the end; {@code -c}
 * resumes from the latest checkpoint with the same learning rate and momentum buffers.
 *
 * <p>Each epoch's batches come from generators seeded with (seed, epoch), so a resumed run sees the same data as an
 * uninterrupted one.
 *
 * <p>Cascade: for {@code 3d_cascade_fullres} this is nnUNetTrainerV2CascadeFullRes ({@link CascadeFullRes} holds
 * what it adds); after a {@code 3d_lowres} fold is validated, {@link #predictNextStage} writes the predictions the
 * cascade trains on.
 */
public final class NnUNetTrainerV2 implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainerSettings settings;
    private final Plans plans;
    private final int stage;
    private final StagePlan stagePlan;
    private final PreprocessedDataFolder dataFolder;
    private final CrossValidationSplits.Fold split;
    private final Path foldDir;
    private final Consumer<String> log;
    private final NDManager manager;
    private final TrainingSetup setup;
    private final GenericUNet network;
    private final AugmentationParameters augmentation;
    private final Path preprocessedTaskDir;
    private final CascadeFullRes cascade;
    private TrainingProgress progress;

    /**
     * @param preprocessedTaskDir {@code nnUNet_preprocessed/TaskXXX_NAME}
     * @param foldDir             {@code RESULTS_FOLDER/nnUNet/CONFIG/TaskXXX_NAME/nnUNetTrainerV2__nnUNetPlansv2.1/fold_N}
     */
    public NnUNetTrainerV2(TrainerSettings settings, Path preprocessedTaskDir, Path foldDir, Consumer<String> log)
            throws IOException {
        this(settings, preprocessedTaskDir, foldDir, settings.isCascade()
                ? PreviousStageSegmentations.lowresFolderFor(foldDir, TrainerSettings.TRAINER_NAME) : null, log);
    }

    /**
     * @param previousStageFolder 3d_cascade_fullres only: the 3d_lowres {@code pred_next_stage} folder (v1 derives it
     *                            from the fold folder, as the 4-argument constructor does)
     */
    public NnUNetTrainerV2(TrainerSettings settings, Path preprocessedTaskDir, Path foldDir, Path previousStageFolder,
                           Consumer<String> log) throws IOException {
        this.settings = settings;
        this.preprocessedTaskDir = preprocessedTaskDir;
        this.foldDir = foldDir;
        this.log = log;
        this.plans = PlansIO.read(preprocessedTaskDir.resolve(settings.is2d() ? PlansIO.PLANS_2D : PlansIO.PLANS_3D));
        this.stage = plans.stageIndexFor(settings.configuration());
        this.stagePlan = plans.stage(stage);
        this.dataFolder = PreprocessedDataFolder.stage(preprocessedTaskDir, plans.dataIdentifier(), stage);
        List<String> cases = caseIds(dataFolder);
        this.split = CrossValidationSplits.loadOrCreate(preprocessedTaskDir, cases).get(settings.fold());
        this.cascade = settings.isCascade() ? CascadeFullRes.open(previousStageFolder, preprocessedTaskDir, cases,
                plans.numClasses() + 1) : null;

        Engine.getInstance().setRandomSeed((int) settings.seed());
        this.manager = NDManager.newBaseManager(NetworkDevice.fromConfig(settings.device()));
        this.setup = TrainingSetup.forPlans(plans, settings.configuration(), manager, settings.maxEpochs());
        this.network = setup.network();
        this.augmentation = AugmentationParameters.nnUNetTrainerV2(stagePlan.patchSize(),
                !settings.is2d() && stagePlan.doDummy2DDataAug(), null);
        this.progress = TrainingProgress.start(0.99);
    }

    static List<String> caseIds(PreprocessedDataFolder folder) throws IOException {
        if (!Files.isDirectory(folder.dir())) {
            throw new IOException(folder.dir() + ": preprocessed data missing (run nnUNet_plan_and_preprocess)");
        }
        try (Stream<Path> files = Files.list(folder.dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    public Path foldDir() {
        return foldDir;
    }

    public CrossValidationSplits.Fold split() {
        return split;
    }

    public GenericUNet network() {
        return network;
    }

    public NDManager manager() {
        return manager;
    }

    public Plans plans() {
        return plans;
    }

    public StagePlan stagePlan() {
        return stagePlan;
    }

    public TrainingProgress progress() {
        return progress;
    }

    public TrainerSettings settings() {
        return settings;
    }

    /** {@code -c}: v1 load_latest_checkpoint order: final checkpoint, then latest, then best. */
    public boolean loadLatestCheckpoint() throws IOException {
        for (String name : List.of("model_final_checkpoint", "model_latest", "model_best")) {
            if (TrainerCheckpoint.exists(foldDir, name)) {
                TrainerCheckpoint.Meta meta = TrainerCheckpoint.load(foldDir, name, network, manager, setup.optimizer());
                progress = meta.progress();
                log.accept("loaded " + name + ": continuing at epoch " + progress.epoch());
                return true;
            }
        }
        log.accept("no checkpoint in " + foldDir + ": training from scratch");
        return false;
    }

    /** Loads weights only (for validation or prediction), e.g. {@code model_final_checkpoint}. */
    public void loadWeights(String checkpointName) throws IOException {
        TrainerCheckpoint.Meta meta = TrainerCheckpoint.load(foldDir, checkpointName, network, manager, null);
        progress = meta.progress();
    }

    /** Trains from the current epoch to the last one, then writes {@code model_final_checkpoint}. */
    public void train() throws IOException {
        train(() -> false);
    }

    /**
     * As {@link #train()}, but when {@code stopRequested} answers true after an epoch, writes {@code model_latest}
     * and returns early (a pod being stopped, or a budget); {@code -c} continues from there.
     *
     * @return true when all epochs are done
     */
    public boolean train(BooleanSupplier stopRequested) throws IOException {
        Files.createDirectories(foldDir);
        writeDebugJson();
        log.accept(String.format("%s %s fold %d: %d training / %d validation cases, patch %s, batch %d, "
                        + "generator patch %s, %d epochs x %d iterations", settings.trainerName(),
                settings.configuration(), settings.fold(), split.train().size(), split.val().size(),
                Arrays.toString(stagePlan.patchSize()), stagePlan.batchSize(),
                Arrays.toString(augmentation.generatorPatchSize()), settings.maxEpochs(), settings.iterationsPerEpoch()));
        PreprocessedDataset trainData = PreprocessedDataset.open(dataFolder, split.train());
        PreprocessedDataset valData = PreprocessedDataset.open(dataFolder, split.val().isEmpty() ? split.train() : split.val());
        Map<String, MappedNpy> previousStage = cascade == null ? null : cascade.unpack(trainData, valData);
        long started = System.nanoTime();
        int firstEpoch = progress.epoch();
        while (progress.epoch() < settings.maxEpochs()) {
            int epoch = progress.epoch();
            setup.startEpoch(epoch);
            double lr = setup.optimizer().learningRate();
            long t0 = System.nanoTime();
            double trainLoss = trainEpoch(trainData, previousStage, epoch);
            OnlineEvaluation eval = new OnlineEvaluation(network.architecture().numClasses());
            double valLoss = validateEpoch(valData, previousStage, epoch, eval);
            progress = progress.afterEpoch(trainLoss, valLoss, eval.meanForegroundDice(), setup.optimizer().momentum());
            maybeRestartStuckTraining(epoch, eval.meanForegroundDice());
            double seconds = (System.nanoTime() - t0) / 1e9;
            double perEpoch = (System.nanoTime() - started) / 1e9 / (progress.epoch() - firstEpoch);
            log.accept(String.format("epoch %d/%d  train loss %.4f  val loss %.4f  pseudo Dice %s  lr %.6f  %.1f s  ETA %s",
                    epoch + 1, settings.maxEpochs(), trainLoss, valLoss, formatDice(eval.globalDicePerClass()), lr,
                    seconds, eta(perEpoch * (settings.maxEpochs() - progress.epoch()))));
            ProgressPlot.write(progress, foldDir.resolve("progress.png"));
            if (progress.lastEpochWasBest()) {
                saveCheckpoint("model_best");
            }
            if (epoch % settings.saveEvery() == settings.saveEvery() - 1) {
                saveCheckpoint("model_latest");
            }
            if (progress.epoch() < settings.maxEpochs() && stopRequested.getAsBoolean()) {
                saveCheckpoint("model_latest");
                log.accept("stopped after epoch " + progress.epoch() + ": continue with -c");
                return false;
            }
        }
        saveCheckpoint("model_latest");
        saveCheckpoint("model_final_checkpoint");
        log.accept("training done: " + foldDir.resolve("model_final_checkpoint.model"));
        return true;
    }

    /**
     * nnUNetTrainer.validate after training: the fold's validation cases predicted with the sliding window (step 0.5,
     * Gaussian weighting, mirroring on the training mirror axes) into {@code validation_raw/}, evaluated against
     * {@code gt_segmentations} into its {@code summary.json}, then postprocessing determined.
     */
    public EvaluationSummary validate(Path gtSegmentations) throws IOException {
        int dims = stagePlan.patchSize().length;
        SlidingWindowPredictor.Settings sw = new SlidingWindowPredictor.Settings(0.5, true, true,
                augmentation.mirrorAxes());
        SlidingWindowPredictor predictor = new SlidingWindowPredictor(new NetworkPatchPredictor(network, manager),
                stagePlan.patchSize(), sw);
        FoldValidator validator = new FoldValidator(predictor, plans.transposeBackward(), new V1SoftmaxResampler(),
                cascade == null ? null : cascade.validationInputs());
        log.accept("validating " + split.val().size() + " cases of fold " + settings.fold() + " (" + dims
                + "d sliding window, mirroring " + Arrays.toString(augmentation.mirrorAxes()) + ")");
        EvaluationSummary summary = validator.validate(dataFolder, split.val(), gtSegmentations, foldDir,
                "validation_raw", network.architecture().numClasses(), settings.saveSoftmax(), true);
        StringBuilder dice = new StringBuilder();
        for (int c = 1; c < network.architecture().numClasses(); c++) {
            dice.append(String.format(" %d: %.4f", c, summary.meanDice(c)));
        }
        log.accept("validation Dice per class (mean over cases):" + dice);
        return summary;
    }

    /** 3d_lowres: after validation, v1 run_training predicts the next stage ({@link #predictNextStage}). */
    public boolean hasNextStage() {
        return settings.configuration().equals("3d_lowres");
    }

    /**
     * v1 run_training after validating a 3d_lowres fold: {@code load_best_checkpoint} (falling back to the weights
     * in memory when there is no model_best), then {@code predict_next_stage} of the fold's validation cases into
     * {@code TRAINER__PLANS/pred_next_stage}, the input of 3d_cascade_fullres. Leaves model_best's weights loaded.
     */
    public Path predictNextStage() throws IOException {
        if (!hasNextStage()) {
            throw new IllegalStateException(settings.configuration() + " has no next stage (only 3d_lowres does)");
        }
        if (TrainerCheckpoint.exists(foldDir, "model_best")) {
            TrainerCheckpoint.load(foldDir, "model_best", network, manager, null);
        } else {
            log.accept("WARNING! model_best does not exist; predicting the next stage with the current weights");
        }
        Path out = foldDir.toAbsolutePath().getParent().resolve(PreviousStageSegmentations.FOLDER);
        SlidingWindowPredictor predictor = new SlidingWindowPredictor(new NetworkPatchPredictor(network, manager),
                stagePlan.patchSize(), new SlidingWindowPredictor.Settings(0.5, true, true, augmentation.mirrorAxes()));
        log.accept("predicting segmentations for the next stage of the cascade into " + out);
        new NextStagePredictor(predictor).predict(dataFolder,
                PreprocessedDataFolder.stage(preprocessedTaskDir, plans.dataIdentifier(), stage + 1), split.val(), out,
                log);
        return out;
    }

    /**
     * nnUNetTrainerV2.on_epoch_end: if after epoch 100 the foreground Dice of the validation batches is still 0,
     * training has not taken off; lower the momentum to 0.95 and re-initialise the weights (He), as v1 does.
     */
    private void maybeRestartStuckTraining(int epoch, double evalMetric) {
        if (epoch == 100 && evalMetric == 0) {
            setup.optimizer().setMomentum(0.95);
            network.reinitialize(manager);
            log.accept("At epoch 100, the mean foreground Dice was 0. This can be caused by a too high momentum. "
                    + "High momentum (0.99) is good for datasets where it works, but sometimes causes issues such as "
                    + "this one. Momentum has now been reduced to 0.95 and network weights have been reinitialized");
        }
    }

    private double trainEpoch(PreprocessedDataset data, Map<String, MappedNpy> previousStage, int epoch) {
        network.setDeepSupervision(true);
        List<Supplier<PatchBatch>> workers = new ArrayList<>();
        for (int w = 0; w < settings.dataWorkers(); w++) {
            long seed = seed(epoch, w);
            DataLoader loader = new DataLoader(data, augmentation.generatorPatchSize(), stagePlan.patchSize(),
                    stagePlan.batchSize(), ForegroundOversampling.NNUNET_V2_PERCENT, seed, previousStage);
            AugmentationPipeline pipeline = cascade == null
                    ? new AugmentationPipeline(augmentation, seed ^ 0x5DEECE66DL, false)
                    : cascade.trainingTransforms(augmentation, seed ^ 0x5DEECE66DL);
            workers.add(() -> pipeline.apply(loader.nextBatch()));
        }
        double sum = 0;
        try (BackgroundBatchGenerator batches = new BackgroundBatchGenerator(workers, 2, "nnunet-da")) {
            for (int it = 0; it < settings.iterationsPerEpoch(); it++) {
                PatchBatch batch = batches.next();
                try (NDManager iteration = manager.newSubManager()) {
                    sum += setup.step().train(tensor(iteration, batch.dataTensor(), batch, batch.samples().get(0).data().length),
                            tensor(iteration, batch.segTensor(), batch, 1));
                }
                ProgressBar.print(it + 1, settings.iterationsPerEpoch(), sum / (it + 1));
            }
        }
        return sum / settings.iterationsPerEpoch();
    }

    private double validateEpoch(PreprocessedDataset data, Map<String, MappedNpy> previousStage, int epoch,
                                 OnlineEvaluation eval) {
        DataLoader loader = new DataLoader(data, stagePlan.patchSize(), stagePlan.patchSize(), stagePlan.batchSize(),
                ForegroundOversampling.NNUNET_V2_PERCENT, seed(epoch, 1000), previousStage);
        // the validation generator: RemoveLabelTransform(-1, 0) (+ the cascade's one-hot channels)
        AugmentationPipeline transforms = cascade == null ? AugmentationPipeline.validation()
                : cascade.validationTransforms();
        double sum = 0;
        for (int b = 0; b < settings.validationBatches(); b++) {
            PatchBatch batch = transforms.apply(loader.nextBatch());
            float[] seg = batch.segTensor();
            try (NDManager iteration = manager.newSubManager()) {
                sum += setup.step().validationLoss(tensor(iteration, batch.dataTensor(), batch,
                        batch.samples().get(0).data().length), tensor(iteration, seg, batch, 1), eval);
            }
        }
        return sum / settings.validationBatches();
    }

    private long seed(int epoch, int worker) {
        return settings.seed() * 1_000_003L + epoch * 1009L + worker;
    }

    private static NDArray tensor(NDManager m, float[] values, PatchBatch batch, int channels) {
        int[] spatial = batch.shape();
        long[] shape = new long[spatial.length + 2];
        shape[0] = batch.size();
        shape[1] = channels;
        for (int i = 0; i < spatial.length; i++) {
            shape[i + 2] = spatial[i];
        }
        return m.create(values, new Shape(shape));
    }

    private void saveCheckpoint(String name) throws IOException {
        TrainerCheckpoint.save(foldDir, name, network, setup.optimizer(), new TrainerCheckpoint.Meta(
                settings.configuration(), TrainerSettings.PLANS_IDENTIFIER, settings.fold(), progress, 0, 0));
    }

    private void writeDebugJson() throws IOException {
        Map<String, Object> debug = new LinkedHashMap<>();
        debug.put("trainer", settings.trainerName());
        if (cascade != null) {
            debug.put("folder_with_segs_from_prev_stage", cascade.previousStageFolder().toString());
        }
        debug.put("settings", settings);
        debug.put("stage", stage);
        debug.put("plans_per_stage", stagePlan);
        debug.put("architecture", network.architecture().toString());
        debug.put("parameters", network.parameterCount());
        debug.put("batch_dice", DiceCELoss.useBatchDice(settings.configuration(), plans.numStages()));
        debug.put("deep_supervision_weights", DeepSupervisionLoss.weights(stagePlan.poolOpKernelSizes().length));
        debug.put("basic_generator_patch_size", augmentation.generatorPatchSize());
        debug.put("do_dummy_2D_aug", augmentation.dummy2D());
        debug.put("mirror_axes", augmentation.mirrorAxes());
        debug.put("dataset_train", split.train());
        debug.put("dataset_val", split.val());
        try {
            JSON.writeValue(foldDir.resolve("debug.json").toFile(), debug);
        } catch (IOException e) {
            throw new UncheckedIOException(foldDir.resolve("debug.json") + ": " + e.getMessage(), e);
        }
    }

    static String formatDice(double[] dice) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dice.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format("%.4f", dice[i]));
        }
        return b.append(']').toString();
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        return String.format("%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60);
    }

    @Override
    public void close() {
        setup.close();
        manager.close();
    }
}
