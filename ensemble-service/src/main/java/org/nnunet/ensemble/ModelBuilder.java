package org.nnunet.ensemble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jboss.logging.Logger;
import org.nnunet.events.FoldTrained;
import org.nnunet.inference.ModelPackage;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.postprocessing.PostprocessingDeterminer;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link ModelPackage} of a dataset version once all its folds are trained: picks the configuration with
 * the best mean validation Dice over its folds (v1 nnUNet_find_best_configuration for single configurations; there
 * is no ensemble of configurations yet), pools the folds' validation predictions and determines postprocessing on
 * them (v1 consolidate_folds), and stores weights, plans, postprocessing.json, metrics and provenance under
 * {@code models/TASK/vN/} with the dataset version's number.
 */
final class ModelBuilder {

    private static final Logger LOG = Logger.getLogger(ModelBuilder.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        String configuration = bestConfiguration(folds);
        Map<Integer, FoldTrained> chosen = folds.get(configuration);
        Map<String, Double> metrics = meanMetrics(chosen);
        LOG.infof("%s %s: best configuration %s (mean Dice %.4f over folds %s)", version.task(), version.version(),
                configuration, metrics.get("mean_dice"), chosen.keySet());
        Path work = Files.createTempDirectory("nnunet-model-" + version.task() + "-" + version.version());
        try {
            Path plansFile = work.resolve(ModelPackage.PLANS);
            fetch(version.preprocessed() + ("2d".equals(configuration) ? PlansIO.PLANS_2D : PlansIO.PLANS_3D),
                    plansFile);
            Map<Integer, Path> foldDirs = new TreeMap<>();
            for (int fold : chosen.keySet()) {
                Path dir = work.resolve("fold_" + fold);
                for (String name : ModelPackage.CHECKPOINT_FILES) {
                    fetch(version.fold(configuration, fold) + name, dir.resolve(name));
                }
                foldDirs.put(fold, dir);
            }
            Path postprocessing = config.postprocessing()
                    ? consolidatedPostprocessing(version, configuration, chosen.keySet(), plansFile, work) : null;
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("task", version.task());
            provenance.put("dataset_version", version.version());
            provenance.put("correlation_id", chosen.values().iterator().next().correlationId());
            provenance.put("configuration", configuration);
            provenance.put("trainer", "nnUNetTrainerV2__nnUNetPlansv2.1");
            provenance.put("raw_data", version.raw());
            provenance.put("dataset_manifest", version.manifest());
            provenance.put("fold_checkpoints", chosen.values().stream().map(FoldTrained::checkpointKey).toList());
            Map<String, Object> candidates = new TreeMap<>();
            folds.forEach((c, f) -> candidates.put(c, meanMetrics(f)));
            provenance.put("configurations_compared", candidates);
            provenance.put("created_at", Instant.now().toString());
            String prefix = ModelPackage.prefix(version.task(), version.version());
            store.putBytes(prefix + "provenance.json", JSON.writeValueAsBytes(provenance));
            Map<String, Object> perFold = new TreeMap<>();
            chosen.forEach((f, e) -> perFold.put("fold_" + f, e.metrics()));
            store.putBytes(prefix + "metrics.json", JSON.writeValueAsBytes(Map.of("mean", metrics, "folds", perFold)));
            ModelPackage.Manifest manifest = new ModelPackage.Manifest(version.task(), version.version(),
                    configuration, new ArrayList<>(chosen.keySet()), metrics, version.version(),
                    Instant.now().toString());
            ModelPackage.write(store, manifest, plansFile, postprocessing, foldDirs);
            return manifest;
        } finally {
            StoreFolders.deleteQuietly(work);
        }
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

    private void fetch(String key, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = store.get(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
