package org.nnunet.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GenericUNetTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static UNetArchitecture hippocampus3d() {
        int[][] pools = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        return UNetArchitecture.threeD(1, 3, pools, convs);
    }

    @Test
    @DisplayName("DJL 0.33 loads libtorch 2.5.1 offline")
    void engineLoadsOffline() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "Surefire runs offline");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("2.5.1", engine.getVersion());
    }

    /*
     * Expected counts derived by hand from Generic_UNet's structure (each conv: Cin*Cout*prod(k) weights + Cout bias,
     * each InstanceNorm: 2*Cout affine, transposed conv: Cin*Cout*prod(pool) without bias, heads: C*classes, no bias).
     * Features per stage: min(32 * 2^d, max). Decoder level u uses conv_kernel_sizes[-(u+1)].
     * Hippocampus 3d (1 in, 3 classes, 3x[2,2,2], 4x[3,3,3]); features 32, 64, 128, 256:
     *   enc0  (1*32*27+32+64) + (32*32*27+32+64)          =    28,704
     *   enc1  (32*64*27+64+128) + (64*64*27+64+128)       =   166,272
     *   enc2  (64*128*27+128+256) + (128*128*27+128+256)  =   664,320
     *   enc3  (128*256*27+256+512) + (256*256*27+256+512) = 2,655,744
     *   dec0  tu 256*128*8 + (256*128*27+384) + (128*128*27+384) + head 128*3 = 262,144 + 1,327,872 + 384
     *   dec1  tu 128*64*8  + (128*64*27+192)  + (64*64*27+192)   + head 64*3  =  65,536 +   332,160 + 192
     *   dec2  tu 64*32*8   + (64*32*27+96)    + (32*32*27+96)    + head 32*3  =  16,384 +    83,136 +  96
     *   total 5,602,944 (the same sum, done again by /usr/bin/python3 while writing this test).
     */
    @Test
    @DisplayName("Generic_UNet parameter count, Hippocampus 3d plan: 5,602,944 as PyTorch")
    void parameterCountHippocampus() {
        GenericUNet net = new GenericUNet(hippocampus3d(), true);
        net.initialize(manager);
        assertEquals(5_602_944L, net.parameterCount());
    }

    /*
     * Golden plan 3 of the spec (2 modalities, 3 classes, pools [1,2,2],[1,2,2],[2,2,2],[2,2,2],[1,2,2],[1,2,2],
     * kernels [1,3,3],[1,3,3],[3,3,3]x5); features 32, 64, 128, 256, 320, 320, 320. Same formulas as above:
     *   encoder 9,984 + 55,680 + 664,320 + 2,655,744 + 4,978,560 + 5,531,520 + 5,531,520
     *   dec0 (skip 320, pool [1,2,2], kernel k6=[3,3,3]) 409,600 + 8,296,320 + 960
     *   dec1 (skip 320, pool [1,2,2], kernel k5)         409,600 + 8,296,320 + 960
     *   dec2 (skip 256, pool [2,2,2], kernel k4)         655,360 + 5,309,952 + 768
     *   dec3 (skip 128, pool [2,2,2], kernel k3)         262,144 + 1,327,872 + 384
     *   dec4 (skip 64, pool [1,2,2], kernel k2=[3,3,3], the v1 index shift) 32,768 + 332,160 + 192
     *   dec5 (skip 32, pool [1,2,2], kernel k1=[1,3,3]) 8,192 + 27,840 + 96
     *   total 44,798,816.
     */
    @Test
    @DisplayName("Generic_UNet parameter count, anisotropic golden plan 3: 44,798,816 as PyTorch")
    void parameterCountAnisotropic() {
        int[][] pools = {{1, 2, 2}, {1, 2, 2}, {2, 2, 2}, {2, 2, 2}, {1, 2, 2}, {1, 2, 2}};
        int[][] convs = {{1, 3, 3}, {1, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        GenericUNet net = new GenericUNet(UNetArchitecture.threeD(2, 3, pools, convs), true);
        net.initialize(manager);
        assertEquals(44_798_816L, net.parameterCount());
    }

    /* 2d Hippocampus plan (3x[2,2], 4x[3,3], max 480): same formulas with prod(k) = 9 and pools of 4 -> 1,928,256. */
    @Test
    @DisplayName("Generic_UNet parameter count, 2d Hippocampus plan: 1,928,256")
    void parameterCount2d() {
        int[][] pools = {{2, 2}, {2, 2}, {2, 2}};
        int[][] convs = {{3, 3}, {3, 3}, {3, 3}, {3, 3}};
        GenericUNet net = new GenericUNet(UNetArchitecture.twoD(1, 3, pools, convs), true);
        net.initialize(manager);
        assertEquals(1_928_256L, net.parameterCount());
        try (NDManager it = manager.newSubManager()) {
            NDList out = net.forward(it.randomNormal(new Shape(2, 1, 56, 40)), false);
            assertEquals(new Shape(2, 3, 56, 40), out.get(0).getShape());
            assertEquals(new Shape(2, 3, 14, 10), out.get(2).getShape()); // lowest head: 1/4, the bottleneck is 1/8
        }
    }

    @Test
    @DisplayName("Deep-supervision heads for a 40x56x40 patch: full resolution first, one per pool")
    void deepSupervisionShapes() {
        GenericUNet net = new GenericUNet(hippocampus3d(), true);
        net.initialize(manager);
        Shape[] expected = {new Shape(2, 3, 40, 56, 40), new Shape(2, 3, 20, 28, 20), new Shape(2, 3, 10, 14, 10)};
        assertArrayEquals(expected, net.getOutputShapes(new Shape[] {new Shape(2, 1, 40, 56, 40)}));
        try (NDManager it = manager.newSubManager()) {
            NDList out = net.forward(it.randomNormal(new Shape(1, 1, 40, 56, 40)), false);
            assertEquals(3, out.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i].slice(1), out.get(i).getShape().slice(1));
            }
        }
        net.setDeepSupervision(false);
        assertArrayEquals(new Shape[] {expected[0]}, net.getOutputShapes(new Shape[] {new Shape(2, 1, 40, 56, 40)}));
    }

    private static ai.djl.nn.Parameter param(GenericUNet net, String name) {
        for (var pair : net.getParameters()) {
            if (pair.getKey().equals(name)) {
                return pair.getValue();
            }
        }
        throw new AssertionError("no parameter " + name + " in " + net.getParameters().keys());
    }

    @Test
    @DisplayName("Anisotropic golden plan 3, patch 20x320x256: six heads, matching the deep-supervision target scales")
    void anisotropicHeadsMatchTargetScales() {
        int[][] pools = {{1, 2, 2}, {1, 2, 2}, {2, 2, 2}, {2, 2, 2}, {1, 2, 2}, {1, 2, 2}};
        int[][] convs = {{1, 3, 3}, {1, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        GenericUNet net = new GenericUNet(UNetArchitecture.threeD(2, 3, pools, convs), true);
        Shape[] out = net.getOutputShapes(new Shape[] {new Shape(2, 2, 20, 320, 256)});
        long[][] expected = {{20, 320, 256}, {20, 160, 128}, {20, 80, 64}, {10, 40, 32}, {5, 20, 16}, {5, 10, 8}};
        int[][] factors = org.nnunet.training.DeepSupervisionTargets.factors(pools);
        assertEquals(6, out.length);
        for (int i = 0; i < 6; i++) {
            assertEquals(new Shape(2, 3, expected[i][0], expected[i][1], expected[i][2]), out[i]);
            assertEquals(20 / factors[i][0], expected[i][0]);
            assertEquals(320 / factors[i][1], expected[i][1]);
            assertEquals(256 / factors[i][2], expected[i][2]);
        }
    }

    @Test
    @DisplayName("InitWeights_He: conv weights N(0, sqrt(2/1.0001)/sqrt(fan_in)), biases 0, norm affine 1/0")
    void heInitialisation() {
        GenericUNet net = new GenericUNet(hippocampus3d(), true);
        net.initialize(manager);
        // context1's second conv: 64x64x3x3x3, fan_in 64*27 = 1728, std = sqrt(2/1.0001)/sqrt(1728) = 0.034019...
        NDArray w = param(net, "02context1_02ConvNormNonlin_01conv_weight").getArray();
        float[] v = w.toFloatArray();
        double mean = 0;
        for (float f : v) {
            mean += f;
        }
        mean /= v.length;
        double var = 0;
        for (float f : v) {
            var += (f - mean) * (f - mean);
        }
        double sd = Math.sqrt(var / v.length);
        assertEquals(Math.sqrt(2 / 1.0001) / Math.sqrt(1728), sd, 0.001);
        assertEquals(0, mean, 0.002);
        assertEquals(0f, param(net, "02context1_02ConvNormNonlin_01conv_bias").getArray().abs().max().getFloat());
        assertEquals(1f, param(net, "02context1_02ConvNormNonlin_02instnorm_gamma").getArray().min().getFloat());
        // transposed conv: torch's fan_in is dim 1 (C_out) * prod(k): tu0 256->128, 128*8 = 1024
        assertEquals(Math.sqrt(2 / 1.0001) / Math.sqrt(1024),
                HeInitializer.std(param(net, "05tu0_weight").getArray().getShape()), 1e-12);
    }

    @Test
    @DisplayName("nnUNetTrainerV2 epoch-100 restart: reinitialize draws new He weights, same shapes, still trainable")
    void reinitializeDrawsNewWeights() {
        GenericUNet net = new GenericUNet(UNetArchitecture.threeD(1, 3, new int[][] {{2, 2, 2}},
                new int[][] {{3, 3, 3}, {3, 3, 3}}), true);
        try (NDManager m = manager.newSubManager()) {
            net.initialize(m);
            var first = net.getParameters().get(0).getValue();
            float[] before = first.getArray().toFloatArray();
            long count = net.parameterCount();
            net.reinitialize(m);
            float[] after = first.getArray().toFloatArray();
            assertEquals(before.length, after.length);
            assertFalse(java.util.Arrays.equals(before, after), "weights were drawn again");
            assertEquals(count, net.parameterCount());
            assertTrue(first.getArray().hasGradient(), "re-drawn weights still collect gradients");
        }
    }
}
