package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of each batchgenerators transform as configured by nnU-Net v1 moreDA. */
class TransformsTest {

    private static final double DEG30 = Math.PI / 6;

    private static SpatialTransform spatial3d(int[] patch) {
        return new SpatialTransform(patch, new double[]{-DEG30, DEG30}, new double[]{-DEG30, DEG30},
                new double[]{-DEG30, DEG30}, 0.2, 1, new double[]{0.7, 1.4}, 0.2, 3, 0, 1, -1);
    }

    private static Sample randomSample(int[] shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] data = MapCoordinatesTest.randomImage(shape, rng);
        float[] seg = new float[data.length];
        for (int i = 0; i < seg.length; i++) {
            seg[i] = rng.nextInt(4) - 1;
        }
        return new Sample(new float[][]{data}, new float[][]{seg}, shape);
    }

    @Test
    @DisplayName("spatial: rotation 0 and scale 1 on an equal-size patch is the identity (data and seg)")
    void spatialIdentity() {
        int[] shape = {6, 7, 8};
        Sample s = randomSample(shape, 1);
        Sample out = spatial3d(shape).resample(s, 0, 0, 0, 1);
        assertArrayEquals(s.data()[0], out.data()[0], 1e-5f);
        assertArrayEquals(s.seg()[0], out.seg()[0], 0f);
    }

    @Test
    @DisplayName("spatial: unmodified sample is a center crop with lower bound (in - out) // 2")
    void centerCrop() {
        int[] in = {5, 6, 7};
        Sample s = randomSample(in, 2);
        Sample out = SpatialTransform.centerCrop(s, new int[]{3, 3, 4});
        // lb = (1, 1, 1): out[0,0,0] = in[1,1,1]
        assertEquals(s.data()[0][1 * 42 + 1 * 7 + 1], out.data()[0][0]);
        assertEquals(s.data()[0][3 * 42 + 3 * 7 + 4], out.data()[0][out.voxels() - 1]);
    }

    @Test
    @DisplayName("spatial: 90 deg about x equals transpose of axes 1,2 plus a flip (cubic interpolation at nodes)")
    void rotation90() {
        int[] shape = {4, 6, 6};
        Sample s = randomSample(shape, 3);
        Sample out = spatial3d(shape).resample(s, Math.PI / 2, 0, 0, 1);
        // coords' = c . Rx(90): (z, y, x) -> (z, x, -y) around the centre: out[z][y][x] = in[z][x][5 - y]
        float[] in = s.data()[0];
        float[] o = out.data()[0];
        float[] inSeg = s.seg()[0];
        float[] oSeg = out.seg()[0];
        for (int z = 0; z < 4; z++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    int src = z * 36 + x * 6 + (5 - y);
                    assertEquals(in[src], o[z * 36 + y * 6 + x], 1e-4, "data at " + z + "," + y + "," + x);
                    assertEquals(inSeg[src], oSeg[z * 36 + y * 6 + x], 0, "seg at " + z + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    @DisplayName("spatial: order-1 label interpolation keeps seg integer in {-1,0,1,2}; outside the input becomes 0")
    void segStaysIntegerValued() {
        Sample s = randomSample(new int[]{12, 14, 12}, 4);
        SplittableRandom rng = new SplittableRandom(4);
        SpatialTransform t = spatial3d(new int[]{8, 10, 8});
        for (int k = 0; k < 5; k++) {
            Sample out = t.resample(s, rng.nextDouble() - 0.5, rng.nextDouble() - 0.5, rng.nextDouble() - 0.5,
                    0.7 + 0.7 * rng.nextDouble());
            for (float v : out.seg()[0]) {
                assertTrue(v == -1 || v == 0 || v == 1 || v == 2, "label " + v);
            }
        }
        // all-2 seg zoomed out 3x: the centre stays inside (2), the corners sample outside the input (-> 0, not -1)
        Sample zoomedOut = t.resample(new Sample(s.data(), new float[][]{filled(s.voxels(), 2f)}, s.shape()),
                0, 0, 0, 3.0);
        assertEquals(0f, zoomedOut.seg()[0][0]);
        assertEquals(2f, zoomedOut.seg()[0][4 * 80 + 5 * 8 + 4]);
    }

    @Test
    @DisplayName("dummy 2D: every z slice rotated in-plane, z untouched")
    void dummy2D() {
        int[] shape = {3, 6, 6};
        Sample s = randomSample(shape, 5);
        SpatialTransform inPlane = new SpatialTransform(new int[]{6, 6}, new double[]{Math.PI / 2, Math.PI / 2},
                new double[]{0, 0}, new double[]{0, 0}, 1.0, 1, new double[]{1, 1}, 0, 3, 0, 1, -1);
        Sample out = new Dummy2DSpatialTransform(inPlane).apply(s, new SplittableRandom(0));
        assertArrayEquals(shape, out.shape());
        // 2D Rot(90): (y, x) -> (x, -y) about the centre, i.e. out[y][x] = in[x][5 - y]
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    assertEquals(s.data()[0][z * 36 + x * 6 + 5 - y], out.data()[0][z * 36 + y * 6 + x], 1e-4);
                }
            }
        }
    }

    @Test
    @DisplayName("mirror: a drawn flip reverses the axis in data and seg; twice is the identity")
    void mirror() {
        int[] shape = {3, 4, 5};
        Sample s = randomSample(shape, 6);
        float[] before = s.data()[0].clone();
        MirrorTransform.flip(s, 2);
        assertEquals(before[4], s.data()[0][0]);
        assertEquals(before[1 * 20 + 2 * 5 + 0], s.data()[0][1 * 20 + 2 * 5 + 4]);
        MirrorTransform.flip(s, 2);
        assertArrayEquals(before, s.data()[0]);
    }

    @Test
    @DisplayName("gamma 1 is the identity; retain_stats keeps mean and std; inverted gamma too")
    void gamma() {
        float[] x = randomSample(new int[]{5, 6, 7}, 7).data()[0];
        float[] y = x.clone();
        GammaTransform.applyGamma(y, 1.0, false, false);
        assertArrayEquals(x, y, 1e-5f);
        for (boolean invert : new boolean[]{false, true}) {
            float[] z = x.clone();
            GammaTransform.applyGamma(z, 1.45, invert, true);
            assertEquals(Stats.mean(x), Stats.mean(z), 1e-5);
            assertEquals(Stats.std(x), Stats.std(z), 1e-5);
            assertTrue(maxAbsDiff(x, z) > 0.01, "gamma 1.45 must change the image");
        }
    }

    @Test
    @DisplayName("contrast (preserve range): factor 1 is the identity; min and max are kept")
    void contrast() {
        float[] x = randomSample(new int[]{5, 6, 7}, 8).data()[0];
        float[] y = x.clone();
        ContrastAugmentationTransform.applyContrast(y, 1.0);
        assertArrayEquals(x, y, 1e-6f);
        float[] z = x.clone();
        ContrastAugmentationTransform.applyContrast(z, 1.25);
        assertEquals(min(x), min(z));
        assertEquals(max(x), max(z));
        float[] w = x.clone();
        ContrastAugmentationTransform.applyContrast(w, 0.75);
        assertEquals(0.75 * Stats.std(x), Stats.std(w), 1e-4);
    }

    @Test
    @DisplayName("brightness 1 is the identity; noise of sd 0.1 has empirical sd 0.1")
    void brightnessAndNoise() {
        float[] x = randomSample(new int[]{10, 20, 20}, 9).data()[0];
        float[] y = x.clone();
        BrightnessMultiplicativeTransform.multiply(y, 1.0);
        assertArrayEquals(x, y);
        float[] z = x.clone();
        GaussianNoiseTransform.addNoise(z, 0.1, new SplittableRandom(9));
        float[] diff = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            diff[i] = z[i] - x[i];
        }
        assertEquals(0.0, Stats.mean(diff), 0.01);
        assertEquals(0.1, Stats.std(diff), 0.005);
    }

    @Test
    @DisplayName("low-resolution simulation: constant image unchanged; zoom 1 identity; dummy 2D keeps z resolution")
    void lowResolution() {
        int[] shape = {8, 10, 12};
        SimulateLowResolutionTransform t = new SimulateLowResolutionTransform(new double[]{0.5, 1}, 0.5, 0, 3, 0.25,
                new int[0]);
        float[] constant = filled(8 * 10 * 12, 1.7f);
        assertArrayEquals(constant, t.simulate(constant, shape, 0.5), 1e-6f);
        float[] x = randomSample(shape, 10).data()[0];
        assertArrayEquals(x, t.simulate(x, shape, 1.0), 1e-6f);
        float[] low = t.simulate(x, shape, 0.5);
        assertTrue(maxAbsDiff(x, low) > 0.1);
        // the upsampled result stays within the input's range (skimage clip)
        assertTrue(min(low) >= min(x) && max(low) <= max(x));
        // with axis 0 ignored (dummy 2D), an image varying only along z survives unchanged
        float[] zOnly = new float[x.length];
        for (int i = 0; i < zOnly.length; i++) {
            zOnly[i] = i / 120;
        }
        SimulateLowResolutionTransform dummy = new SimulateLowResolutionTransform(new double[]{0.5, 1}, 0.5, 0, 3,
                0.25, new int[]{0});
        assertArrayEquals(zOnly, dummy.simulate(zOnly, shape, 0.5), 1e-5f);
    }

    @Test
    @DisplayName("blur: sigma ~0 leaves the image; blurring keeps the mean of a reflect-padded image")
    void blur() {
        float[] x = randomSample(new int[]{6, 8, 8}, 11).data()[0];
        float[] y = x.clone();
        GaussianFilter.filterInPlace(y, new int[]{6, 8, 8}, 0.01);
        assertArrayEquals(x, y, 1e-6f);
        GaussianFilter.filterInPlace(y, new int[]{6, 8, 8}, 1.0);
        assertTrue(Stats.std(y) < 0.6 * Stats.std(x));
    }

    @Test
    @DisplayName("mask transform zeroes data where seg < 0 for masked channels; remove label maps -1 to 0")
    void maskAndRemoveLabel() {
        Sample s = randomSample(new int[]{4, 5, 6}, 12);
        float[] seg = s.seg()[0].clone();
        new MaskTransform(new boolean[]{true}).apply(s, new SplittableRandom(0));
        new RemoveLabelTransform(-1f, 0f).apply(s, new SplittableRandom(0));
        for (int i = 0; i < seg.length; i++) {
            if (seg[i] < 0) {
                assertEquals(0f, s.data()[0][i]);
                assertEquals(0f, s.seg()[0][i]);
            } else {
                assertEquals(seg[i], s.seg()[0][i]);
            }
        }
    }

    @Test
    @DisplayName("probabilities: rotation/scale 0.2 each -> interpolated in 1-0.8^2 = 36% of samples; mirror 50% per axis")
    void probabilities() {
        int[] shape = {4, 4, 4};
        SpatialTransform t = spatial3d(shape);
        SplittableRandom rng = new SplittableRandom(2024);
        int n = 4000;
        int modified = 0;
        // a grid patch survives a pure center crop unchanged; any rotation/scale re-samples it
        Sample base = randomSample(shape, 13);
        for (int i = 0; i < n; i++) {
            Sample out = t.apply(base, rng);
            if (!java.util.Arrays.equals(base.data()[0], out.data()[0])) {
                modified++;
            }
        }
        assertEquals(0.36, (double) modified / n, 0.03);
        MirrorTransform mirror = new MirrorTransform(new int[]{0, 1, 2});
        Set<String> seen = new HashSet<>();
        int flippedX = 0;
        for (int i = 0; i < n; i++) {
            float[] d = new float[64];
            d[0] = 1;
            Sample s = new Sample(new float[][]{d}, new float[][]{new float[64]}, shape);
            mirror.apply(s, rng);
            int pos = indexOf(s.data()[0], 1f);
            seen.add(Integer.toString(pos));
            if (pos % 4 == 3) {
                flippedX++;
            }
        }
        assertEquals(8, seen.size(), "all 8 flip combinations occur");
        assertEquals(0.5, (double) flippedX / n, 0.03);
        GammaTransform gamma = new GammaTransform(new double[]{0.7, 1.5}, false, true, 0.3);
        int changed = 0;
        for (int i = 0; i < n; i++) {
            Sample s = randomSample(shape, 14);
            float[] before = s.data()[0].clone();
            gamma.apply(s, rng);
            if (!java.util.Arrays.equals(before, s.data()[0])) {
                changed++;
            }
        }
        assertEquals(0.3, (double) changed / n, 0.03);
    }

    @Test
    @DisplayName("probabilities of the moreDA intensity transforms (single channel): noise 0.1, blur 0.2*0.5, "
            + "brightness 0.15, contrast 0.15, low-res 0.25*0.5, inverted gamma 0.1")
    void intensityProbabilities() {
        int[] shape = {4, 6, 6};
        SampleTransform[] transforms = {
                new GaussianNoiseTransform(new double[]{0, 0.1}, 0.1),
                new GaussianBlurTransform(new double[]{0.5, 1.0}, 0.5, 0.2),
                new BrightnessMultiplicativeTransform(new double[]{0.75, 1.25}, 0.15),
                new ContrastAugmentationTransform(new double[]{0.75, 1.25}, 0.15),
                new SimulateLowResolutionTransform(new double[]{0.5, 1}, 0.5, 0, 3, 0.25, new int[0]),
                new GammaTransform(new double[]{0.7, 1.5}, true, true, 0.1)};
        // low-res: 0.25 * 0.5, times P(the zoomed shape differs) = 1 - P(zoom >= 11/12, where round(6 z) = 6
        // and round(4 z) = 4) = 1 - (1/12) / 0.5 -> 0.125 * 5/6
        double[] expected = {0.1, 0.1, 0.15, 0.15, 0.125 * 5 / 6, 0.1};
        SplittableRandom rng = new SplittableRandom(77);
        int n = 3000;
        for (int k = 0; k < transforms.length; k++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                Sample s = randomSample(shape, 15);
                float[] before = s.data()[0].clone();
                transforms[k].apply(s, rng);
                if (maxAbsDiff(before, s.data()[0]) > 1e-6) {
                    changed++;
                }
            }
            assertEquals(expected[k], (double) changed / n, 0.02, transforms[k].getClass().getSimpleName());
        }
    }

    private static int indexOf(float[] x, float v) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }

    private static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
