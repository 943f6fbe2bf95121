package org.nnunet.planning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;

/**
 * The body of nnU-Net v1 {@code nnUNet_plan_and_preprocess} for one task, after the integrity check: crop
 * ({@code experiment_planning/utils.crop}), fingerprint, then each enabled planner writes its plans and hands them
 * to the preprocessing step.
 *
 * @param cases training cases of the raw task
 * @param datasetJson the raw task's dataset.json (copied next to the cropped and the preprocessed data)
 * @param labels dataset.json {@code labels}
 * @param modalities dataset.json {@code modality}
 * @param threadsLowres {@code -tl}
 * @param threadsFullres {@code -tf}: also used for cropping and the fingerprint, as v1 does
 */
public record PlanAndPreprocess(List<RawCase> cases, Path datasetJson, Map<String, String> labels,
        Map<Integer, String> modalities, Path croppedDir, Path preprocessedDir, int threadsLowres,
        int threadsFullres, boolean plan3d, boolean plan2d) {

    /** What a run produced: the fingerprint and the plans of each enabled planner, with their files. */
    public record Result(DatasetFingerprint fingerprint, Plans plans3d, Path plans3dFile, Plans plans2d,
            Path plans2dFile) {}

    /**
     * @param preprocessing run after each plans file is written; null plans only (v1's {@code -no_pp})
     * @param log progress lines (plan summaries included)
     */
    public Result run(PreprocessingStep preprocessing, Consumer<String> log) throws IOException {
        CroppedDataFolder cropped = new CroppedDataFolder(croppedDir);
        Files.createDirectories(croppedDir);
        log.accept("cropping " + cases.size() + " cases into " + croppedDir + " (" + threadsFullres + " threads)");
        ImageCropper.run(cases, cropped, threadsFullres, false);
        Files.copy(datasetJson, croppedDir.resolve("dataset.json"), StandardCopyOption.REPLACE_EXISTING);

        boolean intensities = DatasetAnalyzer.needsIntensityProperties(modalities);
        log.accept("analyzing the dataset" + (intensities ? " (with CT intensity properties)" : ""));
        DatasetFingerprint fp = DatasetAnalyzer.analyze(cropped, labels, modalities, intensities, threadsFullres);
        Path fpFile = croppedDir.resolve(CroppedDataFolder.DATASET_PROPERTIES);
        DatasetAnalyzer.write(fp, fpFile);

        Files.createDirectories(preprocessedDir);
        Files.copy(fpFile, preprocessedDir.resolve(CroppedDataFolder.DATASET_PROPERTIES),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(datasetJson, preprocessedDir.resolve("dataset.json"), StandardCopyOption.REPLACE_EXISTING);

        List<ExperimentPlanner> planners = new ArrayList<>();
        if (plan3d) {
            planners.add(new ExperimentPlanner3D(fp, croppedDir, preprocessedDir));
        }
        if (plan2d) {
            planners.add(new ExperimentPlanner2D(fp, croppedDir, preprocessedDir));
        }
        Plans p3 = null, p2 = null;
        Path f3 = null, f2 = null;
        for (ExperimentPlanner planner : planners) {
            Plans plans = planner.plan();
            Path file = preprocessedDir.resolve(planner.plansFileName());
            PlansIO.write(plans, file);
            String name = planner instanceof ExperimentPlanner3D ? ExperimentPlanner3D.NAME : ExperimentPlanner2D.NAME;
            log.accept(plans.planSummary(name) + "  written to " + file);
            if (preprocessing != null) {
                preprocessing.run(plans, cropped, preprocessedDir, threadsLowres, threadsFullres);
            }
            if (planner instanceof ExperimentPlanner3D) {
                p3 = plans;
                f3 = file;
            } else {
                p2 = plans;
                f2 = file;
            }
        }
        return new Result(fp, p3, f3, p2, f2);
    }
}
