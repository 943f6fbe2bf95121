package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NetworkPatchPredictor;
import org.nnunet.network.TestEngine;
import org.nnunet.network.UNetArchitecture;

/**
 * v1.7.1 {@code _internal_maybe_mirror_and_pred_3D}: the mirrored copies of a tile run in groups of
 * {@code mirrorBatch} forward passes, and whatever the group size the result is the per-flip sum v1 computes
 * ({@code result += 1/8 * flip(softmax(net(flip(x))))}, copies in v1's order).
 */
class MirroredTilePredictorTest {

    private static final int[] PATCH = {6, 5, 7};
    private static final int[][] V1_FLIPS = { // v1's order: none, x, y, xy, z, zx, zy, zyx as (z, y, x) flags
        {0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1}, {1, 0, 0}, {1, 0, 1}, {1, 1, 0}, {1, 1, 1}};

    /** Records how many copies each forward pass gets. */
    static final class CountingNet implements PatchPredictor {
        final PatchPredictor inner;
        final List<Integer> batchSizes = new ArrayList<>();

        CountingNet(PatchPredictor inner) {
            this.inner = inner;
        }

        @Override
        public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
            return inner.predictLogits(patch, channels, patchShape);
        }

        @Override
        public List<float[]> predictLogits(List<float[]> patches, int channels, int[] patchShape) {
            batchSizes.add(patches.size());
            return inner.predictLogits(patches, channels, patchShape);
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }
    }

    private static float[] tile(int n) {
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) Math.sin(i * 0.61) * 1.5f;
        }
        return t;
    }

    private static float[] flip(float[] a, int channels, int[] s, int[] f) {
        int p = s[0] * s[1] * s[2];
        float[] out = new float[a.length];
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < s[0]; z++) {
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[2]; x++) {
                        int from = ((f[0] == 1 ? s[0] - 1 - z : z) * s[1] + (f[1] == 1 ? s[1] - 1 - y : y)) * s[2]
                                + (f[2] == 1 ? s[2] - 1 - x : x);
                        out[c * p + (z * s[1] + y) * s[2] + x] = a[c * p + from];
                    }
                }
            }
        }
        return out;
    }

    /** The per-flip sum, written out independently of the class under test. */
    private static float[] perFlipSum(PatchPredictor net, float[] input, int[] s) {
        int p = s[0] * s[1] * s[2];
        int k = net.numClasses();
        float[] sum = new float[k * p];
        for (int[] f : V1_FLIPS) {
            float[] logits = net.predictLogits(flip(input, 1, s, f), 1, s);
            MirroredTilePredictor.softmaxInPlace(logits, k, p);
            float[] back = flip(logits, k, s, f);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += 0.125f * back[i];
            }
        }
        return sum;
    }

    @Test
    @DisplayName("_internal_maybe_mirror_and_pred_3D: groups of 1, 3 or 8 copies give v1's per-flip sum, "
            + "never more than the group per forward pass")
    void anyGroupSizeGivesThePerFlipSum() {
        float[] input = tile(PATCH[0] * PATCH[1] * PATCH[2]);
        float[] expected = perFlipSum(new SlidingWindowParityTest.PositionNet(), input, PATCH);
        for (int batch : new int[] {1, 3, 8}) {
            CountingNet net = new CountingNet(new SlidingWindowParityTest.PositionNet());
            MirroredTilePredictor m = new MirroredTilePredictor(net, PATCH, new int[] {0, 1, 2}, batch);
            float[] got = m.predict(input.clone(), 1);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-7, "mirror batch " + batch + ", value " + i);
            }
            assertEquals(8, net.batchSizes.stream().mapToInt(Integer::intValue).sum(), "copies, batch " + batch);
            assertEquals((8 + batch - 1) / batch, net.batchSizes.size(), "forward passes, batch " + batch);
            assertTrue(net.batchSizes.stream().allMatch(b -> b <= batch), "passes " + net.batchSizes);
        }
    }

    @Test
    @DisplayName("Generic_UNet: one copy per pass (v1) and all 8 in one batch agree within float tolerance")
    void realNetworkOneByOneEqualsOneBatch() {
        int[] patch = {8, 8, 8};
        try (NDManager manager = TestEngine.newManager()) {
            GenericUNet unet = new GenericUNet(new UNetArchitecture(1, 3, 4, 16, new int[][] {{2, 2, 2}},
                    new int[][] {{3, 3, 3}, {3, 3, 3}}), true);
            unet.initialize(manager);
            PatchPredictor net = new NetworkPatchPredictor(unet, manager);
            float[] input = tile(512);
            float[] expected = perFlipSum(net, input, patch);
            float[] oneByOne = new MirroredTilePredictor(net, patch, new int[] {0, 1, 2}, 1).predict(input, 1);
            float[] batched = new MirroredTilePredictor(net, patch, new int[] {0, 1, 2}, 8).predict(input, 1);
            double maxDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], oneByOne[i], 1e-6, "one by one, value " + i);
                maxDiff = Math.max(maxDiff, Math.abs(batched[i] - oneByOne[i]));
            }
            assertTrue(maxDiff < 1e-5, "batched vs one by one: max difference " + maxDiff);
            assertTrue(Math.abs(expected[0] + expected[512] + expected[1024] - 1) < 1e-5, "probabilities sum to 1");
        }
    }
}
