package org.nnunet.preprocessing;

import org.nnunet.inference.V1SoftmaxResampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.inference.SoftmaxVolume;

/**
 * Our resampling against the Python it replaces, run once for the whole class: scikit-image 0.19.3
 * {@code resize(order, mode='edge', anti_aliasing=False)}, batchgenerators' {@code resize_segmentation} and
 * nnU-Net v1.7.1 {@code resample_data_or_seg} (re-written in reference.py from the v1 source). Images must agree
 * within 1e-4 of the reference's largest magnitude; label maps exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResamplingParityTest {
    private record Job(String id, float[] ours, boolean labels, String what) {}

    private final List<Job> jobs = new ArrayList<>();
    private Path dir;

    @BeforeAll
    void computeReferences(@TempDir Path dir) throws Exception {
        PythonReference.assumePython();
        this.dir = dir;
        PythonReference py = new PythonReference(dir);
        Random rnd = new Random(42);
        int[][][] imageCases = {
            {{10, 12, 14}, {15, 9, 20}},
            {{7, 20, 20}, {7, 31, 13}},
            {{5, 6, 7}, {11, 13, 3}},
            {{3, 3, 3}, {8, 8, 8}},
            {{1, 20, 30}, {1, 37, 17}},
            {{16, 1, 9}, {5, 1, 20}},
            {{9, 9, 9}, {9, 9, 9}},
            {{12, 10, 8}, {6, 5, 4}},
            {{1, 2, 5}, {4, 7, 1}},
            {{40, 3, 2}, {13, 2, 9}},
        };
        for (int[][] c : imageCases) {
            for (int order : new int[] {0, 1, 3}) {
                float[] x = random(rnd, c[0], 1000f);
                String id = py.add("resize", x, c[0], Map.of("shape", c[1], "order", order));
                jobs.add(new Job(id, Resampler.resize(x, c[0], c[1], order), false,
                        "resize order " + order + " " + Arrays.toString(c[0]) + "->" + Arrays.toString(c[1])));
            }
        }
        int[][][] segCases = {
            {{10, 12, 14}, {15, 9, 20}},
            {{10, 10, 10}, {5, 5, 5}},
            {{8, 9, 10}, {16, 18, 20}},
            {{1, 20, 30}, {1, 37, 17}},
            {{6, 14, 11}, {13, 7, 11}},
        };
        for (int[][] c : segCases) {
            float[] s = randomLabels(rnd, c[0]);
            String id = py.add("resize_segmentation", s, c[0], Map.of("shape", c[1]));
            jobs.add(new Job(id, Resampler.resizeSegmentation(s, c[0], c[1], 1), true,
                    "resize_segmentation " + Arrays.toString(c[0]) + "->" + Arrays.toString(c[1])));
        }
        // separate z along each axis, low-res axis up, down and unchanged
        int[][][] szCases = {
            {{6, 20, 22}, {17, 31, 15}, {0}},
            {{9, 16, 18}, {4, 20, 18}, {0}},
            {{5, 12, 13}, {5, 25, 7}, {0}},
            {{14, 5, 12}, {10, 13, 17}, {1}},
            {{12, 13, 4}, {18, 9, 11}, {2}},
        };
        for (int[][] c : szCases) {
            SeparateZ sz = new SeparateZ(true, c[2][0]);
            float[] x = random(rnd, c[0], 50f);
            String id = py.add("resample_data_or_seg", x, c[0], Map.of("shape", c[1], "is_seg", false,
                    "axis", sz.axis(), "order", 3, "order_z", 0));
            jobs.add(new Job(id, Resampler.resampleDataOrSeg(x, c[0], c[1], false, 3, sz, 0), false,
                    "separate z data axis " + sz.axis() + " " + Arrays.toString(c[0]) + "->" + Arrays.toString(c[1])));
            float[] s = randomLabels(rnd, c[0]);
            id = py.add("resample_data_or_seg", s, c[0], Map.of("shape", c[1], "is_seg", true,
                    "axis", sz.axis(), "order", 1, "order_z", 0));
            jobs.add(new Job(id, Resampler.resampleDataOrSeg(s, c[0], c[1], true, 1, sz, 0), true,
                    "separate z seg axis " + sz.axis() + " " + Arrays.toString(c[0]) + "->" + Arrays.toString(c[1])));
        }
        // softmax export (V1SoftmaxResampler): order 1, z order 0, separate z from original_spacing, else none
        Object[][] softmaxCases = {
            {new int[] {6, 20, 22}, new int[] {17, 31, 15}, new double[] {3.5, 1, 1}, new double[] {1.2, 1.5, 0.7}, 0},
            {new int[] {9, 16, 18}, new int[] {12, 11, 25}, new double[] {1.1, 1, 1}, new double[] {1, 1.3, 0.8}, -1},
        };
        for (Object[] c : softmaxCases) {
            int[] in = (int[]) c[0];
            int[] out = (int[]) c[1];
            int n = in[0] * in[1] * in[2];
            float[] prob = new float[2 * n];
            for (int i = 0; i < n; i++) {
                prob[i] = rnd.nextFloat();
                prob[n + i] = 1 - prob[i];
            }
            SoftmaxVolume r = new V1SoftmaxResampler().resample(new SoftmaxVolume(2, in, prob), out, (double[]) c[2],
                    (double[]) c[3]);
            int m = out[0] * out[1] * out[2];
            for (int k = 0; k < 2; k++) {
                float[] ch = Arrays.copyOfRange(prob, k * n, (k + 1) * n);
                String id = py.add("resample_data_or_seg", ch, in, Map.of("shape", out, "is_seg", false,
                        "axis", c[4], "order", 1, "order_z", 0));
                jobs.add(new Job(id, Arrays.copyOfRange(r.data(), k * m, (k + 1) * m), false,
                        "softmax channel " + k + " " + Arrays.toString(in) + "->" + Arrays.toString(out)));
            }
        }
        py.run();
    }

    @Test
    @DisplayName("skimage resize / resize_segmentation / resample_data_or_seg parity (1e-4 relative, labels exact)")
    void matchesPython() throws Exception {
        assertTrue(jobs.size() > 30);
        double worst = 0;
        long labelVoxels = 0;
        for (Job j : jobs) {
            double[] ref = reference(j);
            assertEquals(ref.length, j.ours.length, j.what + ": size");
            if (j.labels) {
                int diff = 0;
                for (int i = 0; i < ref.length; i++) {
                    if (ref[i] != j.ours[i]) {
                        diff++;
                    }
                }
                assertEquals(0, diff, j.what + ": differing labels");
                labelVoxels += ref.length;
            } else {
                double maxRef = 0;
                double maxErr = 0;
                for (int i = 0; i < ref.length; i++) {
                    maxRef = Math.max(maxRef, Math.abs(ref[i]));
                    maxErr = Math.max(maxErr, Math.abs(ref[i] - j.ours[i]));
                }
                assertTrue(maxErr <= 1e-4 * maxRef, j.what + ": max error " + maxErr + " vs max " + maxRef);
                worst = Math.max(worst, maxErr / maxRef);
            }
        }
        System.out.printf("resampling parity: %d jobs, worst relative image error %.2e, %d label voxels identical%n",
                jobs.size(), worst, labelVoxels);
    }

    private double[] reference(Job j) throws Exception {
        return PythonReference.readNpy(dir.resolve(j.id + "_out.npy"));
    }

    static float[] random(Random rnd, int[] shape, float scale) {
        float[] x = new float[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    /** Blobs of labels -1..2 (nnU-Net's seg has -1 outside the nonzero mask). */
    static float[] randomLabels(Random rnd, int[] shape) {
        float[] s = new float[shape[0] * shape[1] * shape[2]];
        int[][] centers = new int[6][3];
        for (int[] c : centers) {
            for (int a = 0; a < 3; a++) {
                c[a] = rnd.nextInt(shape[a]);
            }
        }
        int i = 0;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    int best = 0;
                    double bd = Double.MAX_VALUE;
                    for (int k = 0; k < centers.length; k++) {
                        double d = Math.pow(z - centers[k][0], 2) + Math.pow(y - centers[k][1], 2)
                                + Math.pow(x - centers[k][2], 2);
                        if (d < bd) {
                            bd = d;
                            best = k;
                        }
                    }
                    s[i++] = (best % 4) - 1;
                }
            }
        }
        return s;
    }
}
