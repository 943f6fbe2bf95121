package org.nnunet.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nnunet.cropping.RawCase;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.preprocessing.PlansPreprocessing;

/**
 * A tiny task whose 3D plans have two stages, as the cascade needs: 5 cases of 20x24x28 voxels at 1 mm with a
 * label-1 box and a label-2 box (TrainerResumeTest's cases). The v1 planner gives such small images one stage (the
 * cascade only pays off when the median image is over 4x the patch), so the plans are rewritten before
 * preprocessing: stage 0 (3d_lowres) at 2 mm (10x12x14 voxels), patch 8x12x12, two pools; stage 1 (full
 * resolution) at 1 mm, patch 20x24x28 (the whole image), two pools. Few sliding-window tiles keep tests fast. Both stages are preprocessed by the normal preprocessing.
 */
final class TwoStageTinyTask {
    static final int[] SHAPE = {20, 24, 28};
    static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1, 1, 1},
            new double[] {-12.5, 30, 4}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private TwoStageTinyTask() {}

    /** Writes, plans and preprocesses the task under {@code dir}; returns the preprocessed task folder. */
    static Path create(Path dir) throws IOException {
        Path raw = dir.resolve("raw");
        Files.createDirectories(raw.resolve("imagesTr"));
        Files.createDirectories(raw.resolve("labelsTr"));
        List<RawCase> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            Path image = raw.resolve("imagesTr/" + id + "_0000.nii.gz");
            Path label = raw.resolve("labelsTr/" + id + ".nii.gz");
            writeCase(i, image, label);
            cases.add(new RawCase(id, List.of(image), label));
        }
        Path datasetJson = raw.resolve("dataset.json");
        Files.writeString(datasetJson, """
                {"name": "Tiny", "description": "", "tensorImageSize": "3D", "reference": "", "licence": "",
                 "release": "0", "modality": {"0": "MRI"}, "labels": {"0": "background", "1": "a", "2": "b"},
                 "numTraining": 5, "numTest": 0, "training": [], "test": []}""");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "a");
        labels.put("2", "b");
        Path preprocessed = dir.resolve("preprocessed");
        new PlanAndPreprocess(cases, datasetJson, labels, Map.of(0, "MRI"), dir.resolve("cropped"), preprocessed,
                1, 1, true, false).run((plans, cropped, out, tl, tf) -> {
                    Plans two = twoStages(plans);
                    PlansIO.write(two, out.resolve(PlansIO.PLANS_3D));
                    new PlansPreprocessing().run(two, cropped, out, tl, tf);
                }, s -> { });
        return preprocessed;
    }

    /** The planner's one-stage plans with a 2 mm lowres stage in front and a smaller full-resolution patch. */
    static Plans twoStages(Plans p) {
        StagePlan full = p.stage(0);
        int[][] pools = {{2, 2, 2}, {2, 2, 2}};
        int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        double[] fullSpacing = full.currentSpacing();
        double[] lowSpacing = {fullSpacing[0] * 2, fullSpacing[1] * 2, fullSpacing[2] * 2};
        int[] median = full.medianPatientSizeInVoxels();
        int[] lowMedian = {median[0] / 2, median[1] / 2, median[2] / 2};
        StagePlan low = new StagePlan(2, new int[] {2, 2, 2}, new int[] {8, 12, 12}, lowMedian, lowSpacing,
                full.originalSpacing(), false, pools, convs);
        StagePlan fullSmall = new StagePlan(2, new int[] {2, 2, 2}, new int[] {20, 24, 28}, median, fullSpacing,
                full.originalSpacing(), false, pools, convs);
        return new Plans(2, p.numModalities(), p.modalities(), p.normalizationSchemes(), p.datasetProperties(),
                p.listOfNpzFiles(), p.originalSpacings(), p.originalSizes(), p.preprocessedDataFolder(),
                p.numClasses(), p.allClasses(), p.baseNumFeatures(), p.useMaskForNorm(), p.transposeForward(),
                p.transposeBackward(), p.dataIdentifier(), Map.of(0, low, 1, fullSmall), p.preprocessorName(),
                p.convPerStage());
    }

    /** A noisy background with label 1 and label 2 blocks at a case-dependent offset, each brighter than the last. */
    private static void writeCase(int index, Path image, Path label) throws IOException {
        SplittableRandom rng = new SplittableRandom(100 + index);
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] img = new float[n];
        float[] seg = new float[n];
        for (int z = 0; z < SHAPE[0]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[2]; x++) {
                    int i = (z * SHAPE[1] + y) * SHAPE[2] + x;
                    boolean inY = y >= 6 + index % 3 && y < 16 + index % 3;
                    boolean inZ = z >= 5 && z < 14;
                    int cls = !inY || !inZ ? 0 : x >= 5 + index && x < 12 + index ? 1
                            : x >= 12 + index && x < 18 + index ? 2 : 0;
                    seg[i] = cls;
                    img[i] = 100 + 50 * cls + (float) rng.nextGaussian() * 10;
                }
            }
        }
        NiftiIO.write(new Volume(SHAPE, img, GEOMETRY), NiftiDataType.FLOAT32, image);
        NiftiIO.write(new Volume(SHAPE, seg, GEOMETRY), NiftiDataType.UINT8, label);
    }
}
