package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.RawCase;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.Plans;
import org.nnunet.util.NpyArray;

/**
 * nnUNet_plan_and_preprocess on three real Task04_Hippocampus cases: crop, fingerprint, 3D and 2D plans, then
 * {@link PlansPreprocessing} (v1 {@code run_preprocessing}). At the planned 1 mm nothing is resampled, so the
 * stage folders must hold the cropped shapes and labels exactly, z-scored images (mean 0, sd 1 over the voxels the
 * plans normalize) and min(10000, n) class locations per class.
 */
class PlansPreprocessingTest {
    private static final String[] CASES = {"hippocampus_001", "hippocampus_003", "hippocampus_004"};

    @Test
    @DisplayName("plan_and_preprocess on 3 Hippocampus cases: 3d_fullres and 2d stage folders from the plans")
    void hippocampusThreeCases(@TempDir Path dir) throws Exception {
        Path task = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isRegularFile(task.resolve("dataset.json")), "no Hippocampus data at " + task);
        List<RawCase> cases = new ArrayList<>();
        for (String id : CASES) {
            cases.add(new RawCase(id, List.of(task.resolve("imagesTr/" + id + ".nii.gz")),
                    task.resolve("labelsTr/" + id + ".nii.gz")));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "Anterior");
        labels.put("2", "Posterior");
        Map<Integer, String> modalities = Map.of(0, "MRI");
        Path cropped = dir.resolve("cropped");
        Path preprocessed = dir.resolve("preprocessed");
        PlanAndPreprocess.Result r = new PlanAndPreprocess(cases, task.resolve("dataset.json"), labels, modalities,
                cropped, preprocessed, 1, 2, true, true).run(new PlansPreprocessing(), s -> { });

        CroppedDataFolder crop = new CroppedDataFolder(cropped);
        for (Plans plans : List.of(r.plans3d(), r.plans2d())) {
            assertEquals(1, plans.numStages());
            PreprocessingConfig config = PlansPreprocessing.config(plans);
            assertArrayEquals(new int[] {1, 2}, config.allClasses());
            PreprocessedDataFolder stage = PreprocessedDataFolder.stage(preprocessed, plans.dataIdentifier(), 0);
            for (String id : CASES) {
                NpyArray in = crop.readData(id);
                NpyArray out = stage.readData(id);
                assertArrayEquals(in.shape(), out.shape(), id + " " + plans.dataIdentifier());
                float[] seg = out.slice(1);
                assertArrayEquals(in.slice(1), seg, id + ": labels kept at 1 mm");
                boolean mask = config.useMaskForNorm()[0];
                double[] ms = meanSd(out.slice(0), mask ? seg : null);
                assertEquals(0, ms[0], 1e-3, id + " mean");
                assertEquals(1, ms[1], 1e-3, id + " sd");

                ObjectNode props = stage.readProperties(id);
                assertEquals(out.shape()[1], props.get(PreprocessedDataFolder.SIZE_AFTER_RESAMPLING).get(0).asInt());
                assertTrue(props.has("original_spacing") && props.has("crop_bbox"), "cropping properties kept");
                Map<Integer, int[][]> locs = stage.readClassLocations(id);
                for (int cls : new int[] {1, 2}) {
                    int n = 0;
                    for (float v : seg) {
                        n += v == cls ? 1 : 0;
                    }
                    assertEquals(Math.min(10000, n), locs.get(cls).length, id + " class " + cls);
                }
            }
        }
    }

    private static double[] meanSd(float[] x, float[] seg) {
        double s = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            if (seg == null || seg[i] >= 0) {
                s += x[i];
                n++;
            }
        }
        double m = s / n;
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            if (seg == null || seg[i] >= 0) {
                ss += (x[i] - m) * (x[i] - m);
            }
        }
        return new double[] {m, Math.sqrt(ss / n)};
    }
}
