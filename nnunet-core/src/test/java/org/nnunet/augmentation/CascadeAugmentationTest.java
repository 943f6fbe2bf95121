package org.nnunet.augmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cascade's transforms of v1.7.1 data_augmentation_moreDA (pyramid_augmentations.py): MoveSegAsOneHotToData,
 * ApplyRandomBinaryOperatorTransform, RemoveRandomConnectedComponentFromOneHotEncodingTransform. The morphology and
 * the labelling are checked voxel for voxel against scikit-image 0.19 / scipy under /usr/bin/python3.
 */
class CascadeAugmentationTest {

    private static final int[] SHAPE = {10, 12, 14};

    /** A few blobs (spheres and boxes) touching the border, so border handling matters. */
    private static float[] blobs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] m = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int b = 0; b < 4; b++) {
            int cz = rng.nextInt(SHAPE[0]);
            int cy = rng.nextInt(SHAPE[1]);
            int cx = rng.nextInt(SHAPE[2]);
            double r = 1 + rng.nextDouble() * 3;
            for (int z = 0; z < SHAPE[0]; z++) {
                for (int y = 0; y < SHAPE[1]; y++) {
                    for (int x = 0; x < SHAPE[2]; x++) {
                        if ((z - cz) * (z - cz) + (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) {
                            m[(z * SHAPE[1] + y) * SHAPE[2] + x] = 1;
                        }
                    }
                }
            }
        }
        m[0] = 1; // an isolated corner voxel
        return m;
    }

    private static boolean[] bool(float[] m) {
        boolean[] b = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            b[i] = m[i] != 0;
        }
        return b;
    }

    private static float[] floats(boolean[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] ? 1 : 0;
        }
        return f;
    }

    @Test
    @DisplayName("ball(r) for float radii (odd and even sizes) equals skimage 0.19 ball")
    void ballMatchesSkimage() throws IOException, InterruptedException {
        double[] radii = {1.0, 1.5, 1.99, 2.2, 2.5, 3.7, 5.5, 7.9};
        double[] py = PythonOracle.run("""
                import sys, numpy as np
                from skimage.morphology import ball
                out = []
                for r in [1.0, 1.5, 1.99, 2.2, 2.5, 3.7, 5.5, 7.9]:
                    b = ball(r)
                    out += [b.shape[0]] + list(b.ravel())
                np.asarray(out, dtype=np.float64).tofile(sys.argv[-1])
                """);
        int pos = 0;
        for (double r : radii) {
            int n = (int) py[pos++];
            int c = n / 2;
            Set<String> expected = new HashSet<>();
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        if (py[pos++] != 0) {
                            expected.add((z - c) + "," + (y - c) + "," + (x - c));
                        }
                    }
                }
            }
            Set<String> actual = new HashSet<>();
            for (int[] o : BinaryMorphology.ballOffsets(r)) {
                actual.add(o[0] + "," + o[1] + "," + o[2]);
            }
            assertEquals(expected, actual, "ball(" + r + ")");
        }
    }

    @Test
    @DisplayName("binary dilation/erosion/closing/opening with ball(1.5) and ball(2.2) equal skimage's, border included")
    void morphologyMatchesSkimage() throws IOException, InterruptedException {
        float[] mask = blobs(7);
        double[] py = PythonOracle.run("""
                import sys, numpy as np
                from skimage.morphology import ball
                from skimage.morphology.binary import binary_dilation, binary_erosion, binary_closing, binary_opening
                m = np.fromfile(sys.argv[1], dtype=np.float64).reshape(%d, %d, %d).astype(int)
                out = []
                for r in (1.5, 2.2):
                    for op in (binary_dilation, binary_erosion, binary_closing, binary_opening):
                        out.append(op(m, ball(r)).astype(np.float64).ravel())
                np.concatenate(out).tofile(sys.argv[-1])
                """.formatted(SHAPE[0], SHAPE[1], SHAPE[2]), PythonOracle.toDouble(mask));
        int n = mask.length;
        int k = 0;
        for (double r : new double[] {1.5, 2.2}) {
            for (BinaryMorphology.Operation op : BinaryMorphology.Operation.values()) {
                float[] actual = floats(BinaryMorphology.apply(op, bool(mask), SHAPE, BinaryMorphology.ballOffsets(r)));
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = (float) py[k * n + i];
                }
                assertArrayEquals(expected, actual, op + " ball(" + r + ")");
                k++;
            }
        }
    }

    @Test
    @DisplayName("connected components use skimage label's full (26) connectivity: same count and sizes")
    void labelMatchesSkimage() throws IOException, InterruptedException {
        float[] mask = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < 0.12 ? 1 : 0;
        }
        double[] py = PythonOracle.run("""
                import sys, numpy as np
                from skimage.morphology import label
                m = np.fromfile(sys.argv[1], dtype=np.float64).reshape(%d, %d, %d)
                lab, n = label(m, return_num=True)
                np.asarray(lab.ravel(), dtype=np.float64).tofile(sys.argv[-1])
                """.formatted(SHAPE[0], SHAPE[1], SHAPE[2]), PythonOracle.toDouble(mask));
        int[] labels = new int[mask.length];
        long[] sizes = RemoveRandomConnectedComponentTransform.label26(mask, SHAPE, labels);
        int count = (int) Arrays.stream(py).max().orElse(0);
        assertEquals(count, sizes.length, "number of components");
        assertTrue(count > 5 && count < 300, "a test mask with several components: " + count);
        for (int i = 0; i < labels.length; i++) {
            assertEquals((int) py[i], labels[i], "label of voxel " + i);
        }
    }

    @Test
    @DisplayName("MoveSegAsOneHotToData(1, [1, 2]): seg channel 1 becomes two one-hot data channels and leaves seg")
    void moveSegAsOneHot() {
        float[] image = {5, 6, 7, 8, 9, 10, 11, 12};
        float[] seg = {0, 1, 2, -1, 0, 1, 1, 2};
        float[] prev = {0, 2, 2, 1, 0, 0, 1, 0};
        Sample out = new MoveSegAsOneHotToData(1, new int[] {1, 2})
                .apply(new Sample(new float[][] {image}, new float[][] {seg, prev}, new int[] {2, 2, 2}), null);
        assertEquals(3, out.data().length);
        assertArrayEquals(image, out.data()[0]);
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 1, 0}, out.data()[1], "one-hot of label 1");
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0, 0}, out.data()[2], "one-hot of label 2");
        assertEquals(1, out.seg().length);
        assertArrayEquals(seg, out.seg()[0]);
    }

    @Test
    @DisplayName("random binary operator (p 1, radius 2): each channel is one of skimage's 4 results, stays one-hot")
    void randomBinaryOperatorStaysOneHot() {
        float[] a = blobs(11);
        float[] b = new float[a.length];
        float[] bBlobs = blobs(12);
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i] == 0 ? bBlobs[i] : 0; // disjoint classes, as a one-hot encoding
        }
        int[][] ball = BinaryMorphology.ballOffsets(2);
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            Sample s = new Sample(new float[][] {new float[a.length], a.clone(), b.clone()}, new float[][] {},
                    SHAPE);
            new ApplyRandomBinaryOperatorTransform(2, 1.0, new double[] {2, 2}, 1.0).apply(s,
                    new SplittableRandom(seed));
            float[] outA = s.data()[1];
            float[] outB = s.data()[2];
            for (int i = 0; i < a.length; i++) {
                assertTrue(outA[i] + outB[i] <= 1, "one-hot at voxel " + i);
            }
            // the channel changed last keeps its whole operator result; the other may lose voxels to it
            List<String> matchA = matching(a, outA, ball);
            List<String> matchB = matching(b, outB, ball);
            assertTrue(!matchA.isEmpty() || !matchB.isEmpty(), "seed " + seed + ": an operator result survives");
            seen.addAll(matchA);
            seen.addAll(matchB);
        }
        assertEquals(Set.of("DILATION", "EROSION", "CLOSING", "OPENING"), seen, "all four operators drawn");
    }

    private static List<String> matching(float[] before, float[] after, int[][] ball) {
        List<String> ops = new ArrayList<>();
        for (BinaryMorphology.Operation op : BinaryMorphology.Operation.values()) {
            if (Arrays.equals(floats(BinaryMorphology.apply(op, bool(before), SHAPE, ball)), after)) {
                ops.add(op.name());
            }
        }
        return ops;
    }

    @Test
    @DisplayName("random binary operator p_per_sample 0.4: about 40 % of samples change")
    void randomBinaryOperatorProbability() {
        float[] a = blobs(5);
        SplittableRandom rng = new SplittableRandom(99);
        int changed = 0;
        int n = 400;
        ApplyRandomBinaryOperatorTransform t = ApplyRandomBinaryOperatorTransform.cascadeDefaults(1);
        for (int i = 0; i < n; i++) {
            Sample s = new Sample(new float[][] {a.clone()}, new float[][] {}, SHAPE);
            t.apply(s, rng);
            if (!Arrays.equals(a, s.data()[0])) {
                changed++;
            }
        }
        // a draw that hits (p 0.4) can still leave this mask unchanged (e.g. closing), so allow a little below
        assertTrue(changed > 0.3 * n && changed < 0.47 * n, changed + " of " + n + " changed");
    }

    @Test
    @DisplayName("remove connected component (p 1): one component below 15 % of the patch goes, big ones stay")
    void removeComponent() {
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2]; // 1680 voxels: components must stay below 252
        float[] m = new float[n];
        setBox(m, 0, 0, 0, 2, 2, 2);      // 8 voxels
        setBox(m, 5, 5, 5, 8, 8, 8);      // 27 voxels, touching the next one diagonally at (8,8,8)
        setBox(m, 8, 8, 8, 9, 9, 9);      // 1 voxel: with 26-connectivity part of the 27-voxel one -> 28
        setBox(m, 0, 0, 10, 10, 12, 14);  // 10*12*4 = 480 voxels, too big to remove
        Set<Integer> removedSizes = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            Sample s = new Sample(new float[][] {m.clone()}, new float[][] {}, SHAPE);
            new RemoveRandomConnectedComponentTransform(1, 1.0, 0.0, 0.15, 1.0).apply(s, new SplittableRandom(seed));
            int removed = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(s.data()[0][i] <= m[i], "only removes");
                removed += (int) (m[i] - s.data()[0][i]);
            }
            removedSizes.add(removed);
        }
        assertEquals(Set.of(8, 28), removedSizes, "removed component sizes over 20 draws");
    }

    private static void setBox(float[] m, int z0, int y0, int x0, int z1, int y1, int x1) {
        for (int z = z0; z < z1; z++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    m[(z * SHAPE[1] + y) * SHAPE[2] + x] = 1;
                }
            }
        }
    }

    @Test
    @DisplayName("cascade pipeline: 1 modality + prev-stage seg channel -> data 1 + (classes - 1) channels, 1 seg")
    void cascadePipelineChannels() {
        int[] patch = {8, 8, 8};
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(patch, false, null);
        int[] g = p.generatorPatchSize();
        int voxels = g[0] * g[1] * g[2];
        SplittableRandom rng = new SplittableRandom(4);
        List<Sample> samples = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            float[] img = new float[voxels];
            float[] seg = new float[voxels];
            float[] prev = new float[voxels];
            for (int i = 0; i < voxels; i++) {
                img[i] = (float) rng.nextGaussian();
                seg[i] = rng.nextInt(3);
                prev[i] = rng.nextInt(3);
            }
            samples.add(new Sample(new float[][] {img}, new float[][] {seg, prev}, g));
        }
        PatchBatch out = AugmentationPipeline.cascade(p, 3, 1, false).apply(new PatchBatch(samples));
        assertArrayEquals(patch, out.shape());
        for (Sample s : out.samples()) {
            assertEquals(3, s.data().length, "image + one-hot of labels 1 and 2");
            assertEquals(1, s.seg().length);
            for (int i = 0; i < s.voxels(); i++) {
                float a = s.data()[1][i];
                float b = s.data()[2][i];
                assertTrue((a == 0 || a == 1) && (b == 0 || b == 1) && a + b <= 1, "one-hot at " + i);
            }
        }
        PatchBatch val = AugmentationPipeline.cascadeValidation(3).apply(new PatchBatch(List.of(new Sample(
                new float[][] {{1, 2}}, new float[][] {{-1, 2}, {2, 0}}, new int[] {1, 1, 2}))));
        Sample v = val.samples().get(0);
        assertArrayEquals(new float[] {0, 2}, v.seg()[0], "label -1 -> 0");
        assertArrayEquals(new float[] {0, 0}, v.data()[1]);
        assertArrayEquals(new float[] {1, 0}, v.data()[2]);
    }
}
