package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlidingWindowPredictorTest {

    /** Logits of class c at a voxel = (c + 1) * first input channel: voxelwise, hence mirror-equivariant. */
    static class VoxelwisePredictor implements PatchPredictor {
        final int classes;
        final List<int[]> shapesSeen = new ArrayList<>();
        int calls;

        VoxelwisePredictor(int classes) {
            this.classes = classes;
        }

        @Override
        public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
            calls++;
            shapesSeen.add(patchShape.clone());
            int p = patch.length / channels;
            float[] out = new float[classes * p];
            for (int c = 0; c < classes; c++) {
                for (int i = 0; i < p; i++) {
                    out[c * p + i] = (c + 1) * patch[i];
                }
            }
            return out;
        }

        @Override
        public int numClasses() {
            return classes;
        }
    }

    /** Softmax of (1..k) * v, what every voxel must get back. */
    static float[] expectedProbs(float v, int k) {
        float[] logits = new float[k];
        for (int c = 0; c < k; c++) {
            logits[c] = (c + 1) * v;
        }
        MirroredTilePredictor.softmaxInPlace(logits, k, 1);
        return logits;
    }

    static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.sin(i * 0.37) * 2;
        }
        return a;
    }

    private static void assertReconstructs(SoftmaxVolume sm, float[] input, int k) {
        int n = input.length;
        for (int i = 0; i < n; i++) {
            float[] e = expectedProbs(input[i], k);
            for (int c = 0; c < k; c++) {
                assertEquals(e[c], sm.data()[c * n + i], 1e-6, "class " + c + " voxel " + i);
            }
        }
    }

    @Test
    @DisplayName("_internal_predict_3D_3Dconv_tiled: overlapping Gaussian-weighted tiles reconstruct a voxelwise net")
    void reconstructs3D() {
        int[] shape = {13, 20, 17};
        float[] img = ramp(13 * 20 * 17);
        VoxelwisePredictor net = new VoxelwisePredictor(3);
        SlidingWindowPredictor swp = new SlidingWindowPredictor(net, new int[] {8, 8, 8},
                new SlidingWindowPredictor.Settings(0.5, true, false, new int[] {0, 1, 2}));
        SoftmaxVolume sm = swp.predict(new float[][] {img}, shape);
        assertArrayEquals(shape, sm.shape());
        assertReconstructs(sm, img, 3);
        // steps: z ceil(5/4)+1 = 3, y ceil(12/4)+1 = 4, x ceil(9/4)+1 = 4
        assertEquals(3 * 4 * 4, net.calls);
    }

    @Test
    @DisplayName("pad_nd_image: an image smaller than the patch is zero-padded (diff//2 before) and cropped back")
    void padsSmallImage() {
        int[] shape = {5, 9, 6};
        float[] img = ramp(5 * 9 * 6);
        List<float[]> tiles = new ArrayList<>();
        PatchPredictor recording = new VoxelwisePredictor(2) {
            @Override
            public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
                tiles.add(patch.clone());
                return super.predictLogits(patch, channels, patchShape);
            }
        };
        SlidingWindowPredictor swp = new SlidingWindowPredictor(recording, new int[] {8, 8, 8},
                new SlidingWindowPredictor.Settings(0.5, true, false, new int[] {0, 1, 2}));
        SoftmaxVolume sm = swp.predict(new float[][] {img}, shape);
        assertReconstructs(sm, img, 2);
        // z: pad 3 -> 1 before, y: larger than the patch (2 steps, no pad), x: pad 2 -> 1 before
        assertEquals(2, tiles.size());
        float[] first = tiles.get(0);
        assertEquals(0f, first[(0 * 8 + 0) * 8 + 3]);
        assertEquals(img[(0 * 9 + 0) * 6 + 0], first[(1 * 8 + 0) * 8 + 1]);
        assertEquals(img[(4 * 9 + 7) * 6 + 5], first[(5 * 8 + 7) * 8 + 6]);
        assertEquals(0f, first[(6 * 8 + 0) * 8 + 1]);
        assertEquals(0f, first[(1 * 8 + 0) * 8 + 7]);
    }

    @Test
    @DisplayName("_internal_maybe_mirror_and_pred_3D: 8 flips; a flip-equivariant net gives the no-TTA result")
    void mirroringEquivariantNetUnchanged() {
        int[] shape = {10, 12, 9};
        float[] a = ramp(10 * 12 * 9);
        float[] b = new float[a.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = a[(i * 7) % a.length];
        }
        VoxelwisePredictor withTta = new VoxelwisePredictor(4);
        SoftmaxVolume tta = new SlidingWindowPredictor(withTta, new int[] {6, 8, 6},
                SlidingWindowPredictor.Settings.defaults(3)).predict(new float[][] {a, b}, shape);
        VoxelwisePredictor noTta = new VoxelwisePredictor(4);
        SoftmaxVolume plain = new SlidingWindowPredictor(noTta, new int[] {6, 8, 6},
                new SlidingWindowPredictor.Settings(0.5, true, false, new int[0])).predict(new float[][] {a, b}, shape);
        assertEquals(8 * noTta.calls, withTta.calls);
        for (int i = 0; i < tta.data().length; i++) {
            assertEquals(plain.data()[i], tta.data()[i], 1e-6);
        }
    }

    @Test
    @DisplayName("_internal_maybe_mirror_and_pred_3D: flipped outputs are flipped back before averaging")
    void mirroringOfAPositionDependentNet() {
        // logits depend on the position inside the tile only along x: class 1 logit = x index in the patch.
        PatchPredictor xRamp = new PatchPredictor() {
            @Override
            public float[] predictLogits(float[] patch, int channels, int[] s) {
                int p = s[0] * s[1] * s[2];
                float[] out = new float[2 * p];
                for (int i = 0; i < p; i++) {
                    out[p + i] = i % s[2];
                }
                return out;
            }

            @Override
            public int numClasses() {
                return 2;
            }
        };
        int[] patch = {2, 2, 4};
        SoftmaxVolume sm = new SlidingWindowPredictor(xRamp, patch,
                new SlidingWindowPredictor.Settings(1.0, false, true, new int[] {2}))
                .predict(new float[][] {new float[16]}, new int[] {2, 2, 4});
        // mirrored on x: at x the average of sigmoid(x) and sigmoid(3 - x)
        for (int x = 0; x < 4; x++) {
            double expected = 0.5 * (1 / (1 + Math.exp(-x)) + 1 / (1 + Math.exp(-(3 - x))));
            assertEquals(expected, sm.data()[16 + x], 1e-6);
        }
    }

    @Test
    @DisplayName("_internal_predict_3D_2Dconv_tiled: a 2D net runs slice by slice with 4 mirrorings and 2D patches")
    void twoDimensionalSliceBySlice() {
        int[] shape = {3, 11, 14};
        float[] img = ramp(3 * 11 * 14);
        VoxelwisePredictor net = new VoxelwisePredictor(3);
        SoftmaxVolume sm = new SlidingWindowPredictor(net, new int[] {8, 8},
                SlidingWindowPredictor.Settings.defaults(2)).predict(new float[][] {img}, shape);
        assertReconstructs(sm, img, 3);
        // per slice: y ceil(3/4)+1 = 2, x ceil(6/4)+1 = 3 tiles, 4 flips each
        assertEquals(3 * 2 * 3 * 4, net.calls);
        assertArrayEquals(new int[] {8, 8}, net.shapesSeen.get(0));
    }

    @Test
    @DisplayName("predict_cases: folds are averaged on the softmax")
    void foldMean() {
        int[] shape = {4, 6, 6};
        float[] img = ramp(4 * 6 * 6);
        VoxelwisePredictor a = new VoxelwisePredictor(2);
        PatchPredictor b = new VoxelwisePredictor(2) {
            @Override
            public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
                float[] out = super.predictLogits(patch, channels, patchShape);
                for (int i = 0; i < out.length; i++) {
                    out[i] = -out[i];
                }
                return out;
            }
        };
        SlidingWindowPredictor.Settings st = SlidingWindowPredictor.Settings.defaults(3);
        SoftmaxVolume mean = new FoldEnsemblePredictor(List.of(new SlidingWindowPredictor(a, new int[] {4, 4, 4}, st),
                new SlidingWindowPredictor(b, new int[] {4, 4, 4}, st))).predict(new float[][] {img}, shape);
        // softmax(v, 2v) and softmax(-v, -2v) are mirror images: their mean is 0.5 everywhere
        for (float v : mean.data()) {
            assertEquals(0.5f, v, 1e-6);
        }
    }
}
