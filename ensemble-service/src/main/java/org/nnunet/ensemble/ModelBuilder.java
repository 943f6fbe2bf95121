package org.nnunet.ensemble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jboss.logging.Logger;
import org.nnunet.events.FoldTrained;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.inference.CascadePackage;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.postprocessing.PostprocessingDeterminer;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.TrainerSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * Builds the {@link ModelPackage} of a dataset version once all its folds are trained and stores weights, plans,
 * postprocessing.json, metrics and provenance under {@code models/TASK/vN/} with the dataset version's number.
 *
 * <p>One configuration planned: it is the model, postprocessing determined on its pooled folds' validation
 * predictions (v1 consolidate_folds). Several: v1 nnUNet_find_best_configuration ({@link ModelSelection}) on a local
 * mirror of the folds' {@code validation_raw}: each configuration consolidated and scored on its pooled
 * cross-validation, each pair ensembled on the validation softmax (the trainer keeps it, {@code --npz}) and scored;
 * a pair that wins is published as an {@link EnsemblePackage} with the ensemble's postprocessing, a configuration
 * that wins as before. Without validation softmax the pairs are skipped, as v1 does.
 */
final class ModelBuilder {

    private static final Logger LOG = Logger.getLogger(ModelBuilder.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A model selection's result and the folder holding its ensembles' postprocessing plans. */
    record Selection(ModelSelection.Result result, Path ensembles) {
    }

    private final ObjectStore store;
    private final EnsembleConfig config;

    ModelBuilder(ObjectStore store, EnsembleConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The configuration whose folds have the highest mean {@code mean_dice} (first listed wins a tie). */
    static String bestConfiguration(Map<String, Map<Integer, FoldTrained>> folds) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (var e : folds.entrySet()) {
            double score = meanMetrics(e.getValue()).getOrDefault("mean_dice", Double.NaN);
            if (score > bestScore) {
                best = e.getKey();
                bestScore = score;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no configuration has a mean_dice: " + folds.keySet());
        }
        return best;
    }

    /** Every metric averaged over the folds. */
    static Map<String, Double> meanMetrics(Map<Integer, FoldTrained> folds) {
        Map<String, Double> sums = new TreeMap<>();
        for (FoldTrained f : folds.values()) {
            f.metrics().forEach((k, v) -> sums.merge(k, v, Double::sum));
        }
        sums.replaceAll((k, v) -> v / folds.size());
        return sums;
    }

    ModelPackage.Manifest build(VersionLayout version, Map<String, Map<Integer, FoldTrained>> folds)
            throws IOException {
        Path work = Files.createTempDirectory("nnunet-model-" + version.task() + "-" + version.version());
        try {
            String configuration = bestConfiguration(folds);
            if (folds.size() > 1) {
                Selection selection = select(version, folds, work);
                if (selection.result().best().startsWith("ensemble_")) {
                    return buildEnsemble(version, selection, folds, work);
                }
                configuration = selection.result().best();
            }
            return buildSingle(version, configuration, folds, work);
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }

    /** The chosen configuration's folds (a 3d_cascade_fullres with its 3d_lowres folds) as the model. */
    ModelPackage.Manifest buildSingle(VersionLayout version, String configuration,
                                      Map<String, Map<Integer, FoldTrained>> folds, Path work) throws IOException {
        Map<Integer, FoldTrained> chosen = folds.get(configuration);
        boolean cascade = ModelPredictor.CASCADE.equals(configuration);
        Set<Integer> lowresFolds = folds.getOrDefault(CascadePackage.LOWRES_CONFIGURATION, Map.of()).keySet();
        if (cascade && !lowresFolds.containsAll(chosen.keySet())) {
            throw new IOException(version.root() + ": the 3d_cascade_fullres model needs the 3d_lowres folds "
                    + chosen.keySet() + ", trained are " + lowresFolds);
        }
        Map<String, Double> metrics = meanMetrics(chosen);
        LOG.infof("%s %s: best configuration %s (mean Dice %.4f over folds %s)", version.task(),
                version.version(), configuration, metrics.get("mean_dice"), chosen.keySet());
        Path plansFile = work.resolve(ModelPackage.PLANS);
        fetch(version.preprocessed() + ("2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D),
                plansFile);
        Map<Integer, Path> foldDirs = fetchCheckpoints(version, configuration, chosen.keySet(), work);
        Path postprocessing = config.postprocessing()
                ? consolidatedPostprocessing(version, configuration, chosen.keySet(), plansFile, work) : null;
        writeProvenance(version, configuration,
                cascade ? List.of(configuration, CascadePackage.LOWRES_CONFIGURATION) : List.of(configuration),
                folds, metrics);
        ModelPackage.Manifest manifest = new ModelPackage.Manifest(version.task(), version.version(),
                configuration, new ArrayList<>(chosen.keySet()), metrics, version.version(),
                Instant.now().toString());
        if (cascade) {
            writeCascade(version, manifest, plansFile, postprocessing, foldDirs, work);
        } else {
            ModelPackage.write(store, manifest, plansFile, postprocessing, foldDirs);
        }
        return manifest;
    }

    /** provenance.json and metrics.json of the package: what it was made from and how it compared. */
    private void writeProvenance(VersionLayout version, String configuration, List<String> members,
                                 Map<String, Map<Integer, FoldTrained>> folds, Map<String, Double> metrics)
            throws IOException {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("task", version.task());
        provenance.put("dataset_version", version.version());
        provenance.put("correlation_id", folds.get(members.get(0)).values().iterator().next().correlationId());
        provenance.put("configuration", configuration);
        provenance.put("trainer", (ModelPredictor.CASCADE.equals(configuration) ? TrainerSettings.CASCADE_TRAINER_NAME
                : TrainerSettings.TRAINER_NAME) + "__" + TrainerSettings.PLANS_IDENTIFIER);
        provenance.put("raw_data", version.raw());
        provenance.put("dataset_manifest", version.manifest());
        provenance.put("fold_checkpoints", members.stream().flatMap(m -> folds.get(m).values().stream())
                .map(FoldTrained::checkpointKey).toList());
        Map<String, Object> candidates = new TreeMap<>();
        folds.forEach((c, f) -> candidates.put(c, meanMetrics(f)));
        provenance.put("configurations_compared", candidates);
        provenance.put("created_at", Instant.now().toString());
        String prefix = ModelPackage.prefix(version.task(), version.version());
        store.putBytes(prefix + "provenance.json", JSON.writeValueAsBytes(provenance));
        Map<String, Object> perFold = new TreeMap<>();
        for (String m : members) {
            folds.get(m).forEach((f, e) -> perFold.put((members.size() > 1 ? m + "/" : "") + "fold_" + f,
                    e.metrics()));
        }
        store.putBytes(prefix + "metrics.json", JSON.writeValueAsBytes(Map.of("mean", metrics, "folds", perFold)));
    }

    /**
     * v1 nnUNet_find_best_configuration on a local mirror: {@code RESULTS/nnUNet/CONFIG/TASK/TRAINER__PLANS/fold_F/
     * validation_raw} of every configuration and {@code preprocessed/TASK/gt_segmentations}.
     */
    private Selection select(VersionLayout version, Map<String, Map<Integer, FoldTrained>> folds,
                                         Path work) throws IOException {
        NnUNetPaths paths = new NnUNetPaths(work.resolve("raw"), work.resolve("preprocessed"), work.resolve("results"));
        TaskName task = TaskName.parse(version.task());
        ModelSelection selection = new ModelSelection(paths, LOG::info);
        List<Integer> foldList = List.copyOf(folds.values().iterator().next().keySet());
        Set<String> validated = new TreeSet<>();
        for (String configuration : folds.keySet()) {
            for (int fold : foldList) {
                String prefix = version.fold(configuration, fold) + "validation_raw/";
                StoreFolders.download(store, prefix,
                        selection.modelFolder(configuration, task).resolve("fold_" + fold).resolve("validation_raw"));
                for (ObjectInfo o : store.list(prefix)) {
                    String name = o.key().substring(prefix.length());
                    if (name.endsWith(".nii.gz") && !name.contains("/")) {
                        validated.add(name);
                    }
                }
            }
        }
        // the references of the validated cases only: with a subset of the 5 folds (nnunet.preprocess.folds) the
        // pooled cross-validation is that of the trained folds (v1 needs all five)
        Path gt = paths.preprocessedTask(task).resolve("gt_segmentations");
        for (String name : validated) {
            fetch(version.preprocessed() + "gt_segmentations/" + name, gt.resolve(name));
        }
        ModelSelection.Result result = selection.run(task, List.copyOf(folds.keySet()), foldList, false, true);
        LOG.infof("%s %s: cross-validation scores %s -> %s", version.task(), version.version(), result.scores(),
                result.best());
        return new Selection(result, selection.ensemblesFolder(task));
    }

    /** The winning pair: both configurations' fold checkpoints and plans, the ensemble's postprocessing. */
    ModelPackage.Manifest buildEnsemble(VersionLayout version, Selection selected,
                                        Map<String, Map<Integer, FoldTrained>> folds, Path work)
            throws IOException {
        ModelSelection.Result selection = selected.result();
        String name = selection.best();
        List<String> members = EnsemblePackage.members(name);
        Map<String, Path> plansFiles = new LinkedHashMap<>();
        Map<String, Map<Integer, Path>> foldDirs = new LinkedHashMap<>();
        for (String configuration : members) {
            Path dir = work.resolve("members").resolve(configuration);
            Path plansFile = dir.resolve(ModelPackage.PLANS);
            fetch(version.preprocessed() + ("2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D),
                    plansFile);
            plansFiles.put(configuration, plansFile);
            foldDirs.put(configuration,
                    fetchCheckpoints(version, configuration, folds.get(configuration).keySet(), dir));
        }
        Path pp = selected.ensembles().resolve(name).resolve(PostprocessingPlan.FILE_NAME);
        Map<String, Double> metrics = new TreeMap<>();
        metrics.put("mean_dice", selection.scores().get(name));
        selection.perClassDice().get(name).forEach((c, d) -> metrics.put("dice_class_" + c, d));
        LOG.infof("%s %s: best is the ensemble %s (cross-validation mean Dice %.4f)", version.task(),
                version.version(), name, metrics.get("mean_dice"));
        writeProvenance(version, name, members, folds, metrics);
        ModelPackage.Manifest manifest = new ModelPackage.Manifest(version.task(), version.version(), name,
                new ArrayList<>(folds.get(members.get(0)).keySet()), metrics, version.version(),
                Instant.now().toString());
        Map<Integer, Path> cascadeLowres = null;
        if (members.contains(ModelPredictor.CASCADE)) {
            // the cascade member predicts with its 3d_lowres folds' segmentations as input
            cascadeLowres = fetchCheckpoints(version, CascadePackage.LOWRES_CONFIGURATION, manifest.folds(),
                    work.resolve("members").resolve(ModelPredictor.CASCADE).resolve("lowres"));
        }
        EnsemblePackage.write(store, manifest, plansFiles, foldDirs, Files.isRegularFile(pp) ? pp : null,
                cascadeLowres);
        return manifest;
    }

    /**
     * A winning 3d_cascade_fullres is published with the 3d_lowres folds that predict its input (same folds, same
     * 3D plans, the lowres folds' own consolidated postprocessing), as {@code nnUNet_predict -m 3d_cascade_fullres}
     * needs both models.
     */
    private void writeCascade(VersionLayout version, ModelPackage.Manifest manifest, Path plansFile,
                              Path postprocessing, Map<Integer, Path> foldDirs, Path work) throws IOException {
        String lowres = CascadePackage.LOWRES_CONFIGURATION;
        Path dir = work.resolve("lowres");
        Map<Integer, Path> lowresDirs = fetchCheckpoints(version, lowres, manifest.folds(), dir);
        Path lowresPostprocessing = config.postprocessing()
                ? consolidatedPostprocessing(version, lowres, manifest.folds(), plansFile, dir) : null;
        CascadePackage.write(store, manifest, plansFile, postprocessing, foldDirs, plansFile, lowresPostprocessing,
                lowresDirs);
    }

    /** v1 consolidate_folds: validation_raw of every fold into one folder, postprocessing determined on it. */
    private Path consolidatedPostprocessing(VersionLayout version, String configuration, Iterable<Integer> folds,
                                            Path plansFile, Path work) throws IOException {
        Path cv = work.resolve("cv");
        Path raw = cv.resolve("cv_niftis_raw");
        Files.createDirectories(raw);
        for (int fold : folds) {
            String prefix = version.fold(configuration, fold) + "validation_raw/";
            for (ObjectInfo o : store.list(prefix)) {
                String name = o.key().substring(prefix.length());
                if (name.endsWith(".nii.gz") && !name.contains("/")) {
                    fetch(o.key(), raw.resolve(name));
                }
            }
        }
        Path gt = work.resolve("gt_segmentations");
        StoreFolders.download(store, version.preprocessed() + "gt_segmentations/", gt);
        Plans plans = PlansIO.read(plansFile);
        List<Integer> classes = Arrays.stream(plans.allClasses()).filter(c -> c > 0).boxed().toList();
        new PostprocessingDeterminer(0).determineForFolder(cv, gt, "cv_niftis_raw", "cv_niftis_postprocessed",
                classes);
        Path file = cv.resolve(ModelPackage.POSTPROCESSING);
        return Files.isRegularFile(file) ? file : null;
    }

    /** Downloads the checkpoints of {@code folds} of {@code configuration} into {@code dir/fold_N}: fold -> folder. */
    private Map<Integer, Path> fetchCheckpoints(VersionLayout version, String configuration,
                                                Collection<Integer> folds, Path dir) throws IOException {
        Map<Integer, Path> dirs = new TreeMap<>();
        for (int fold : folds) {
            Path foldDir = dir.resolve("fold_" + fold);
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                fetch(version.fold(configuration, fold) + name, foldDir.resolve(name));
            }
            dirs.put(fold, foldDir);
        }
        return dirs;
    }

    private void fetch(String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = store.get(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
