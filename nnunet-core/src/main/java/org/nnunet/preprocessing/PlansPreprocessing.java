package org.nnunet.preprocessing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.planning.IntensityProperties;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PreprocessingStep;

/**
 * nnU-Net v1.7.1 {@code ExperimentPlanner.run_preprocessing}: preprocess the cropped cases with one plans file,
 * {@link PreprocessorFor2D} for 2D plans (data identifier ending in {@code _2D}), else {@link GenericPreprocessor}
 * with one stage per {@code plans_per_stage} entry (its {@code current_spacing}). Threads: with a low-resolution
 * stage, {@code threadsLowres} for stage 0 and {@code threadsFullres} for stage 1; otherwise {@code threadsFullres}.
 */
public final class PlansPreprocessing implements PreprocessingStep {

    /** The preprocessor inputs read from the plans ({@code normalization_schemes}, {@code use_mask_for_norm}, ...). */
    public static PreprocessingConfig config(Plans plans) {
        int n = plans.numModalities();
        NormalizationScheme[] schemes = new NormalizationScheme[n];
        boolean[] useMask = new boolean[n];
        CtIntensities[] ct = new CtIntensities[n];
        for (int c = 0; c < n; c++) {
            schemes[c] = NormalizationScheme.fromPlanName(plans.normalizationSchemes().get(c));
            useMask[c] = Boolean.TRUE.equals(plans.useMaskForNorm().get(c));
            var intensities = plans.datasetProperties().intensityProperties();
            IntensityProperties ip = intensities == null ? null : intensities.get(c);
            ct[c] = ip == null ? null : new CtIntensities(ip.mean(), ip.sd(), ip.percentile00_5(), ip.percentile99_5());
        }
        return new PreprocessingConfig(schemes, useMask, ct, plans.transposeForward(), plans.allClasses());
    }

    public static boolean isTwoD(Plans plans) {
        return plans.dataIdentifier().endsWith("_2D");
    }

    @Override
    public void run(Plans plans, CroppedDataFolder cropped, Path preprocessedDir, int threadsLowres,
                    int threadsFullres) throws IOException {
        PreprocessingConfig config = config(plans);
        List<double[]> spacings = new ArrayList<>();
        for (int s = 0; s < plans.numStages(); s++) {
            spacings.add(plans.stage(s).currentSpacing());
        }
        int[] threads = new int[spacings.size()];
        java.util.Arrays.fill(threads, threadsFullres);
        if (!isTwoD(plans) && threads.length > 1) {
            threads[0] = threadsLowres;
        }
        copyGroundTruth(cropped.gtSegmentationsDir(), preprocessedDir.resolve("gt_segmentations"));
        // v1 instantiates the class named by the plans' preprocessor_name
        GenericPreprocessor p = "PreprocessorFor2D".equals(plans.preprocessorName())
                ? new PreprocessorFor2D(config) : new GenericPreprocessor(config);
        p.run(spacings, cropped.dir(), preprocessedDir, plans.dataIdentifier(), threads);
    }

    /** v1 run_preprocessing replaces {@code gt_segmentations} by a copy of the cropped folder's (rmtree + copytree). */
    private static void copyGroundTruth(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> s = Files.walk(to)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.list(from)) {
                for (Path p : s.toList()) {
                    Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
