package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Postprocessor;
import org.nnunet.postprocessing.Region;

class CasePredictorTest {

    @Test
    @DisplayName("predict_cases: fold mean -> export with npz; postprocessing changes the NIfTI, not the npz")
    void predictsAndExports(@TempDir Path dir) throws IOException {
        // preprocessed case (z, y, x) = (4, 6, 8); class 1 where the input is positive: two blobs, one voxel apart
        int[] shape = {4, 6, 8};
        float[] img = new float[4 * 6 * 8];
        java.util.Arrays.fill(img, -5);
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    img[(z * 6 + y) * 8 + x] = 5;
                }
            }
        }
        img[(3 * 6 + 5) * 8 + 7] = 5;
        PatchPredictor net = new SlidingWindowPredictorTest.VoxelwisePredictor(2) {
            @Override
            public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
                float[] out = new float[2 * patch.length];
                System.arraycopy(patch, 0, out, patch.length, patch.length);
                return out;
            }
        };
        SlidingWindowPredictor swp = new SlidingWindowPredictor(net, new int[] {4, 4, 4},
                SlidingWindowPredictor.Settings.defaults(3));
        ExportProperties props = new ExportProperties(new int[] {4, 6, 8}, new int[] {4, 6, 8},
                new int[][] {{0, 4}, {0, 6}, {0, 8}}, new double[] {1, 1, 1}, new double[] {1, 1, 1},
                new double[] {1, 1, 1}, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Postprocessor pp = new Postprocessor(PostprocessingPlan.of(List.of(Region.single(1))));
        CasePredictor cp = new CasePredictor(new FoldEnsemblePredictor(List.of(swp, swp)),
                new SegmentationExporter((s, a, b, c) -> s), null, pp);
        Path nii = dir.resolve("case_7.nii.gz");
        LabelVolume seg = cp.predict(new float[][] {img}, shape, props, nii, true);
        Volume written = NiftiIO.read(nii);
        assertEquals(27f, sum(written.data()));
        assertArrayEquals(seg.toVolume().data(), written.data());
        assertEquals(0f, written.get(3, 5, 7), "isolated voxel removed by postprocessing");
        SoftmaxVolume npz = SoftmaxFiles.read(dir.resolve("case_7.npz"));
        assertEquals(1 / (1 + Math.exp(-5)), npz.data()[4 * 6 * 8 + (3 * 6 + 5) * 8 + 7], 1e-3,
                "npz keeps the raw softmax of the removed voxel");
        assertEquals(true, Files.isRegularFile(dir.resolve("case_7.json")));
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
