package org.nnunet.network;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.planning.Plans;
import org.nnunet.planning.StagePlan;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkConfigTest {

    private static StagePlan stage(int[][] pools, int[][] convs) {
        return new StagePlan(2, null, null, null, null, null, false, pools, convs);
    }

    private static Plans plans(Map<Integer, StagePlan> stages) {
        return new Plans(stages.size(), 2, null, null, null, null, null, null, null, 2, new int[] {1, 2}, 32, null,
                null, null, "nnUNetData_plans_v2.1", stages, null, 2);
    }

    @Test
    @DisplayName("process_plans: classes = num_classes + 1, modalities as input, the configuration's stage")
    void fromPlans() {
        StagePlan lowres = stage(new int[][] {{2, 2, 2}, {2, 2, 2}}, new int[][] {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}});
        StagePlan fullres = stage(new int[][] {{1, 2, 2}, {2, 2, 2}, {2, 2, 2}},
                new int[][] {{1, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}});
        Plans p = plans(Map.of(0, lowres, 1, fullres));
        UNetArchitecture full = UNetArchitecture.fromPlans(p, "3d_fullres");
        assertEquals(2, full.inputChannels());
        assertEquals(3, full.numClasses());
        assertEquals(320, full.maxFeatures());
        assertEquals(3, full.numPools());
        assertArrayEquals(new int[] {4, 8, 8}, full.inputDivisibleBy());
        assertEquals(2, UNetArchitecture.fromPlans(p, "3d_lowres").numPools());

        Plans twoD = plans(Map.of(0, stage(new int[][] {{2, 2}, {2, 2}}, new int[][] {{3, 3}, {3, 3}, {3, 3}})));
        assertEquals(480, UNetArchitecture.fromPlans(twoD, "2d").maxFeatures());
        assertThrows(IllegalArgumentException.class, () -> UNetArchitecture.fromPlans(twoD, "3d_fullres"));
    }

    @Test
    @DisplayName("features per stage: 32 * 2^d capped at 320 (3d) / 480 (2d)")
    void featureCap() {
        int[][] pools = new int[6][];
        int[][] convs = new int[7][];
        java.util.Arrays.fill(pools, new int[] {2, 2});
        java.util.Arrays.fill(convs, new int[] {3, 3});
        UNetArchitecture a = UNetArchitecture.twoD(1, 2, pools, convs);
        assertArrayEquals(new int[] {32, 64, 128, 256, 480, 480, 480},
                java.util.stream.IntStream.rangeClosed(0, 6).map(a::features).toArray());
    }

    @Test
    @DisplayName("device from configuration: cpu, gpuN, auto (CPU here)")
    void deviceFromConfig() {
        assertEquals(Device.cpu(), NetworkDevice.fromConfig("cpu"));
        assertEquals(Device.gpu(1), NetworkDevice.fromConfig("gpu1"));
        assertEquals(Device.gpu(0), NetworkDevice.fromConfig("cuda:0"));
        try (NDManager m = TestEngine.newManager()) {
            assertEquals(Device.cpu(), NetworkDevice.fromConfig("auto"), "no GPU on this machine");
        }
        assertThrows(IllegalArgumentException.class, () -> NetworkDevice.fromConfig("tpu"));
    }

    @Test
    @DisplayName("input spatial sizes must be divisible by the product of the pools")
    void inputDivisibility() {
        GenericUNet net = new GenericUNet(GenericUNetTest.hippocampus3d(), true);
        try (NDManager m = TestEngine.newManager()) {
            net.initialize(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.predict(m.zeros(new Shape(1, 1, 8, 8, 12))));
            assertTrue(e.getMessage().contains("divisible by [8, 8, 8]"), e.getMessage());
        }
    }
}
