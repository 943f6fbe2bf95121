package org.nnunet.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layers DJL lacks, against straightforward Java loops. */
class LayersTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static float[] random(int n, Random rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static NDArray forward(Block block, NDArray x, boolean training) {
        return block.forward(new ParameterStore(x.getManager(), false), new NDList(x), training).singletonOrThrow();
    }

    @Test
    @DisplayName("InstanceNorm3d(eps 1e-5, affine): per sample and channel, biased variance, in train and eval")
    void instanceNorm() {
        int n = 2;
        int c = 3;
        int vox = 4 * 5 * 6;
        Random rnd = new Random(1);
        float[] x = random(n * c * vox, rnd);
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * (1 + i % 7) + i % 5; // different mean and spread per channel
        }
        float[] gamma = {0.5f, -1.5f, 2f};
        float[] beta = {0.1f, 0.2f, -0.3f};
        InstanceNorm norm = new InstanceNorm(c);
        norm.initialize(manager, DataType.FLOAT32, new Shape(n, c, 4, 5, 6));
        norm.getParameters().get(0).getValue().getArray().set(gamma);
        norm.getParameters().get(1).getValue().getArray().set(beta);

        float[] expected = new float[x.length];
        for (int s = 0; s < n * c; s++) {
            double mean = 0;
            for (int v = 0; v < vox; v++) {
                mean += x[s * vox + v];
            }
            mean /= vox;
            double var = 0;
            for (int v = 0; v < vox; v++) {
                var += (x[s * vox + v] - mean) * (x[s * vox + v] - mean);
            }
            var /= vox;
            for (int v = 0; v < vox; v++) {
                expected[s * vox + v] = (float) ((x[s * vox + v] - mean) / Math.sqrt(var + 1e-5) * gamma[s % c]
                        + beta[s % c]);
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(n, c, 4, 5, 6));
            for (boolean training : new boolean[] {true, false}) {
                float[] actual = forward(norm, in, training).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-4, "voxel " + i);
                }
            }
        }
    }

    /* ConvTranspose3d(kernel = stride = k, bias=False): out[n, o, d*kd + a, h*kh + b, w*kw + e]
     * = sum_i x[n, i, d, h, w] * W[i, o, a, b, e]; and dL/dW for L = sum(out * R) is the same sum with R. */
    @Test
    @DisplayName("Transposed conv (kernel = stride [1,2,2], no bias) equals the naive loop, forward and weight gradient")
    void transposedConv() {
        int n = 2;
        int ci = 3;
        int co = 4;
        int[] k = {1, 2, 2};
        int[] s = {2, 3, 2};
        Random rnd = new Random(2);
        float[] x = random(n * ci * s[0] * s[1] * s[2], rnd);
        float[] w = random(ci * co * k[0] * k[1] * k[2], rnd);
        int[] os = {s[0] * k[0], s[1] * k[1], s[2] * k[2]};
        int outSize = n * co * os[0] * os[1] * os[2];
        float[] r = random(outSize, rnd);

        float[] expected = new float[outSize];
        float[] expectedGrad = new float[w.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < ci; i++) {
                for (int d = 0; d < s[0]; d++) {
                    for (int h = 0; h < s[1]; h++) {
                        for (int v = 0; v < s[2]; v++) {
                            float xv = x[(((b * ci + i) * s[0] + d) * s[1] + h) * s[2] + v];
                            for (int o = 0; o < co; o++) {
                                for (int a = 0; a < k[0]; a++) {
                                    for (int bb = 0; bb < k[1]; bb++) {
                                        for (int e = 0; e < k[2]; e++) {
                                            int wi = (((i * co + o) * k[0] + a) * k[1] + bb) * k[2] + e;
                                            int oi = (((b * co + o) * os[0] + d * k[0] + a) * os[1] + h * k[1] + bb)
                                                    * os[2] + v * k[2] + e;
                                            expected[oi] += xv * w[wi];
                                            expectedGrad[wi] += xv * r[oi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        TransposedConv tu = new TransposedConv(ci, co, k);
        tu.initialize(manager, DataType.FLOAT32, new Shape(n, ci, s[0], s[1], s[2]));
        NDArray weight = tu.getParameters().get(0).getValue().getArray();
        weight.set(w);
        try (NDManager m = manager.newSubManager()) {
            NDArray in = m.create(x, new Shape(n, ci, s[0], s[1], s[2]));
            float[] actual;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = forward(tu, in, true);
                assertEquals(new Shape(n, co, os[0], os[1], os[2]), out.getShape());
                actual = out.toFloatArray();
                gc.backward(out.mul(m.create(r, out.getShape())).sum());
            }
            for (int i = 0; i < outSize; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "output " + i);
            }
            NDArray grad = weight.getGradient();
            grad.attach(m);
            float[] g = grad.toFloatArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(expectedGrad[i], g[i], 1e-4, "weight gradient " + i);
            }
        }
    }

    @Test
    @DisplayName("Transposed conv 2d (kernel = stride 2): every input pixel fills its own 2x2 block")
    void transposedConv2d() {
        TransposedConv tu = new TransposedConv(1, 1, new int[] {2, 2});
        tu.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 2, 2));
        tu.getParameters().get(0).getValue().getArray().set(new float[] {1, 2, 3, 4});
        try (NDManager m = manager.newSubManager()) {
            NDArray out = forward(tu, m.create(new float[] {1, 10, 100, 1000}, new Shape(1, 1, 2, 2)), false);
            float[] expected = {
                1, 2, 10, 20,
                3, 4, 30, 40,
                100, 200, 1000, 2000,
                300, 400, 3000, 4000};
            assertEquals(new Shape(1, 1, 4, 4), out.getShape());
            float[] actual = out.toFloatArray();
            for (int i = 0; i < 16; i++) {
                assertEquals(expected[i], actual[i], 1e-3);
            }
        }
    }
}
