package org.nnunet.service.testing;

import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.RawDataset;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.PreprocessingStep;
import org.nnunet.planning.StagePlan;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectStore;
import org.nnunet.training.CrossValidationSplits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset version of a {@link TinyTask} put into the store as an upstream service would leave it, so each service
 * test starts from its own input: {@link #planned} = what the planner stores (raw, cropped, 3D plans),
 * {@link #preprocessed} = plus what the preprocess service stores (stage folder, gt_segmentations, splits).
 */
public final class TinyVersion {

    private TinyVersion() {
    }

    public static VersionLayout planned(ObjectStore store, String task, int cases) throws IOException {
        return build(store, task, cases, false, false);
    }

    public static VersionLayout preprocessed(ObjectStore store, String task, int cases) throws IOException {
        return build(store, task, cases, true, false);
    }

    /**
     * As {@link #preprocessed}, with 3D plans of two stages (the cascade's): the planner gives such small images one
     * stage, so the plans are rewritten before preprocessing by {@link #twoStages} (nnunet-core's TwoStageTinyTask).
     */
    public static VersionLayout preprocessedTwoStages(ObjectStore store, String task, int cases) throws IOException {
        return build(store, task, cases, true, true);
    }

    /**
     * The planner's one-stage plans with a lowres stage at twice the spacing (patch 8x12x12) in front, and the
     * full-resolution stage's patch set to the whole 20x24x28 image; two pools each.
     */
    public static Plans twoStages(Plans p) {
        StagePlan full = p.stage(0);
        int[][] pools = {{2, 2, 2}, {2, 2, 2}};
        int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        double[] fullSpacing = full.currentSpacing();
        double[] lowSpacing = {fullSpacing[0] * 2, fullSpacing[1] * 2, fullSpacing[2] * 2};
        int[] median = full.medianPatientSizeInVoxels();
        int[] lowMedian = {median[0] / 2, median[1] / 2, median[2] / 2};
        StagePlan low = new StagePlan(2, new int[] {2, 2, 2}, new int[] {8, 12, 12}, lowMedian, lowSpacing,
                full.originalSpacing(), false, pools, convs);
        StagePlan fullSmall = new StagePlan(2, new int[] {2, 2, 2}, TinyTask.SHAPE.clone(), median, fullSpacing,
                full.originalSpacing(), false, pools, convs);
        return new Plans(2, p.numModalities(), p.modalities(), p.normalizationSchemes(), p.datasetProperties(),
                p.listOfNpzFiles(), p.originalSpacings(), p.originalSizes(), p.preprocessedDataFolder(),
                p.numClasses(), p.allClasses(), p.baseNumFeatures(), p.useMaskForNorm(), p.transposeForward(),
                p.transposeBackward(), p.dataIdentifier(), Map.of(0, low, 1, fullSmall), p.preprocessorName(),
                p.convPerStage());
    }

    private static VersionLayout build(ObjectStore store, String task, int cases, boolean preprocess,
                                       boolean twoStages) throws IOException {
        VersionLayout version = new VersionLayout(task, "v1");
        Path work = Files.createTempDirectory("tiny-version");
        try {
            Path raw = work.resolve("raw");
            TinyTask.write(raw, cases, 7);
            RawDataset dataset = RawDataset.open(raw);
            List<RawCase> rawCases = dataset.trainingCases().stream()
                    .map(c -> new RawCase(c.id(), c.images(), c.label())).toList();
            Map<Integer, String> modalities = new LinkedHashMap<>();
            dataset.datasetJson().modality().forEach((k, v) -> modalities.put(Integer.parseInt(k), v));
            Path cropped = work.resolve("cropped");
            Path preprocessed = work.resolve("preprocessed");
            PreprocessingStep preprocessor = !preprocess ? null : !twoStages ? new PlansPreprocessing()
                    : (plans, croppedDir, out, tl, tf) -> {
                        Plans two = twoStages(plans);
                        PlansIO.write(two, out.resolve(PlansIO.PLANS_3D));
                        new PlansPreprocessing().run(two, croppedDir, out, tl, tf);
                    };
            new PlanAndPreprocess(rawCases, raw.resolve("dataset.json"), dataset.datasetJson().labels(), modalities,
                    cropped, preprocessed, 1, 1, true, false).run(preprocessor, l -> { });
            if (preprocess) {
                CrossValidationSplits.loadOrCreate(preprocessed, new CroppedDataFolder(cropped).caseIds());
            }
            StoreFolders.upload(store, raw, version.raw());
            StoreFolders.upload(store, cropped, version.cropped());
            StoreFolders.upload(store, preprocessed, version.preprocessed());
            return version;
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }
}
