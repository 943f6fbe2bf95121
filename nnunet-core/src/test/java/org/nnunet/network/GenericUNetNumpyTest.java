package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.training.PythonReference;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole forward pass against a numpy transcription of Generic_UNet.forward as nnUNetTrainerV2 configures it
 * (convolutional pooling, conv -> instance norm -> leaky ReLU, transposed conv, concat(up, skip), 1x1 heads,
 * outputs full resolution first), run on the same random weights.
 */
class GenericUNetNumpyTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static final String REFERENCE = """
            import sys, json, re, itertools
            import numpy as np
            d = json.load(sys.stdin)
            P = {k: np.array(v['data'], dtype=np.float64).reshape(v['shape']) for k, v in d['params'].items()}
            pools, convs = d['pools'], d['convs']
            x = np.array(d['input'], dtype=np.float64).reshape(d['input_shape'])
            nd = len(pools[0])

            def conv(x, w, b, stride):
                k = w.shape[2:]
                pad = [(kk - 1) // 2 for kk in k]
                xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
                out_sz = [(x.shape[2 + a] + 2 * pad[a] - k[a]) // stride[a] + 1 for a in range(nd)]
                out = np.zeros([x.shape[0], w.shape[0]] + out_sz)
                for off in itertools.product(*[range(kk) for kk in k]):
                    sl = tuple(slice(off[a], off[a] + stride[a] * out_sz[a], stride[a]) for a in range(nd))
                    patch = xp[(slice(None), slice(None)) + sl]
                    out += np.einsum('nc...,oc->no...', patch, w[(slice(None), slice(None)) + off])
                if b is not None:
                    out += b.reshape([1, -1] + [1] * nd)
                return out

            def inorm(x, g, b):
                ax = tuple(range(2, 2 + nd))
                m = x.mean(ax, keepdims=True); v = x.var(ax, keepdims=True)
                sh = [1, -1] + [1] * nd
                return (x - m) / np.sqrt(v + 1e-5) * g.reshape(sh) + b.reshape(sh)

            def lrelu(x):
                return np.where(x > 0, x, 0.01 * x)

            def tconv(x, w):
                k = w.shape[2:]
                out = np.zeros([x.shape[0], w.shape[1]] + [x.shape[2 + a] * k[a] for a in range(nd)])
                for off in itertools.product(*[range(kk) for kk in k]):
                    sl = tuple(slice(off[a], None, k[a]) for a in range(nd))
                    out[(slice(None), slice(None)) + sl] = np.einsum('nc...,co->no...', x, w[(slice(None), slice(None)) + off])
                return out

            def stage(x, prefix, first_stride):
                for i, name in enumerate(['01ConvNormNonlin', '02ConvNormNonlin']):
                    s = first_stride if i == 0 else [1] * nd
                    x = conv(x, P[prefix + name + '_01conv_weight'], P[prefix + name + '_01conv_bias'], s)
                    x = lrelu(inorm(x, P[prefix + name + '_02instnorm_gamma'], P[prefix + name + '_02instnorm_beta']))
                return x

            names = {re.sub(r'^\\d+', '', k.split('_')[0]): k.split('_')[0] for k in P}
            npool = len(pools)
            skips = []
            for dd in range(npool):
                x = stage(x, names['context%d' % dd] + '_', [1] * nd if dd == 0 else pools[dd - 1])
                skips.append(x)
            x = stage(x, names['context%d' % npool] + '_', pools[-1])
            seg = []
            for u in range(npool):
                x = tconv(x, P[names['tu%d' % u] + '_weight'])
                x = np.concatenate([x, skips[-(u + 1)]], 1)
                x = stage(x, names['localization%d' % u] + '_', [1] * nd)
                head = [k for k in P if k.endswith('seg_outputs%d_weight' % u)][0]
                seg.append(conv(x, P[head], None, [1] * nd))
            outs = [seg[-1]] + seg[:-1][::-1]
            print(json.dumps([{'shape': list(o.shape), 'data': o.ravel().tolist()} for o in outs]))
            """;

    record Output(long[] shape, double[] data) {
    }

    private static void compare(UNetArchitecture arch, Shape inputShape) throws Exception {
        GenericUNet net = new GenericUNet(arch, true);
        net.initialize(manager);
        Map<String, Object> params = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (p.getKey().contains("instnorm")) { // non-trivial affine so a swapped gamma/beta would show
                a.set(manager.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
            }
            params.put(p.getKey(), Map.of("shape", a.getShape().getShape(), "data", a.toFloatArray()));
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(inputShape);
            Map<String, Object> request = Map.of("params", params, "pools", arch.poolKernels(),
                    "convs", arch.convKernels(), "input", x.toFloatArray(), "input_shape", inputShape.getShape());
            Output[] expected = new ObjectMapper().readValue(
                    PythonReference.run(REFERENCE, new ObjectMapper().writeValueAsString(request)), Output[].class);
            NDList actual = net.predict(x);
            assertEquals(expected.length, actual.size());
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i].shape(), actual.get(i).getShape().getShape(), "output " + i);
                float[] a = actual.get(i).toFloatArray();
                for (int j = 0; j < a.length; j++) {
                    assertEquals(expected[i].data()[j], a[j], 2e-4, "output " + i + " element " + j);
                }
            }
        }
    }

    @Test
    @DisplayName("2d anisotropic net (pools [2,2],[1,2]; kernels [3,3],[1,3],[3,3]; features capped) equals numpy")
    void twoD() throws Exception {
        compare(new UNetArchitecture(2, 3, 4, 6, new int[][] {{2, 2}, {1, 2}}, new int[][] {{3, 3}, {1, 3}, {3, 3}}),
                new Shape(2, 2, 8, 12));
    }

    @Test
    @DisplayName("3d anisotropic net (pools [1,2,2],[2,2,2]; kernels [1,3,3],[3,3,3],[3,3,3]) equals numpy")
    void threeD() throws Exception {
        compare(new UNetArchitecture(1, 2, 4, 16, new int[][] {{1, 2, 2}, {2, 2, 2}},
                new int[][] {{1, 3, 3}, {3, 3, 3}, {3, 3, 3}}), new Shape(1, 1, 4, 8, 8));
    }
}
