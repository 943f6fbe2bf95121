package org.nnunet.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The golden plans of spec section 4: what nnU-Net v1.7.1's ExperimentPlanner3D_v21 / ExperimentPlanner2D_v21
 * produce for these fingerprints (every case alike; classes count the background).
 */
class GoldenPlansTest {
    private static final Path CROPPED = Path.of("cropped");
    private static final Path PREPROCESSED = Path.of("preprocessed");

    static Plans plan3d(DatasetFingerprint fp) {
        return new ExperimentPlanner3D(fp, CROPPED, PREPROCESSED).plan();
    }

    static Plans plan2d(DatasetFingerprint fp) {
        return new ExperimentPlanner2D(fp, CROPPED, PREPROCESSED).plan();
    }

    static int[][] repeat(int n, int... k) {
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = k.clone();
        }
        return out;
    }

    @Test
    @DisplayName("golden 1 (Hippocampus-like, 1mm, 36x50x35, 260 cases): 3d 40x56x40 bs 9 (5% cap), 2d 56x40 bs 366")
    void golden1() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {1, 1, 1}, new int[] {36, 50, 35}, 260, 1, 3);
        Plans p3 = plan3d(fp);
        assertEquals(1, p3.numStages());
        StagePlan s = p3.stage(0);
        assertArrayEquals(new int[] {40, 56, 40}, s.patchSize());
        assertEquals(9, s.batchSize());
        assertArrayEquals(new int[] {3, 3, 3}, s.numPoolPerAxis());
        assertArrayEquals(repeat(3, 2, 2, 2), s.poolOpKernelSizes());
        assertArrayEquals(repeat(4, 3, 3, 3), s.convKernelSizes());
        assertFalse(s.doDummy2DDataAug());

        StagePlan t = plan2d(fp).stage(0);
        assertArrayEquals(new int[] {56, 40}, t.patchSize());
        assertEquals(366, t.batchSize());
        assertArrayEquals(repeat(3, 2, 2), t.poolOpKernelSizes());
        assertArrayEquals(repeat(4, 3, 3), t.convKernelSizes());
    }

    @Test
    @DisplayName("golden 2 (1.37x1.25x1.25, 115x320x232, 20 cases): 3d 80x192x160 bs 2, 4x[2,2,2]+[1,2,2], no cascade;"
            + " 2d 320x256 bs 40")
    void golden2() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {1.37, 1.25, 1.25}, new int[] {115, 320, 232}, 20,
                1, 2);
        Plans p3 = plan3d(fp);
        assertEquals(1, p3.numStages(), "no cascade");
        assertEquals(0, p3.stageIndexFor("3d_fullres"));
        assertThrows(IllegalArgumentException.class, () -> p3.stageIndexFor("3d_lowres"), "no low-res stage");
        StagePlan s = p3.stage(0);
        assertArrayEquals(new int[] {80, 192, 160}, s.patchSize());
        assertEquals(2, s.batchSize());
        int[][] pools = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {2, 2, 2}, {1, 2, 2}};
        assertArrayEquals(pools, s.poolOpKernelSizes());
        assertArrayEquals(repeat(6, 3, 3, 3), s.convKernelSizes());
        assertFalse(s.doDummy2DDataAug());

        StagePlan t = plan2d(fp).stage(0);
        assertArrayEquals(new int[] {320, 256}, t.patchSize());
        assertEquals(40, t.batchSize());
    }

    @Test
    @DisplayName("golden 3 (3.6x0.625x0.625, 20x320x319, 32 cases, 2 modalities): 3d 20x320x256 bs 2, in-plane"
            + " kernels [1,3,3] first, dummy-2D; 2d 320x320 bs 32")
    void golden3() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {3.6, 0.625, 0.625}, new int[] {20, 320, 319}, 32,
                2, 3);
        Plans p3 = plan3d(fp);
        assertEquals(1, p3.numStages());
        StagePlan s = p3.stage(0);
        assertArrayEquals(new int[] {20, 320, 256}, s.patchSize());
        assertEquals(2, s.batchSize());
        int[][] pools = {{1, 2, 2}, {1, 2, 2}, {2, 2, 2}, {2, 2, 2}, {1, 2, 2}, {1, 2, 2}};
        assertArrayEquals(pools, s.poolOpKernelSizes());
        int[][] convs = {{1, 3, 3}, {1, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        assertArrayEquals(convs, s.convKernelSizes());
        assertTrue(s.doDummy2DDataAug());

        StagePlan t = plan2d(fp).stage(0);
        assertArrayEquals(new int[] {320, 320}, t.patchSize());
        assertEquals(32, t.batchSize());
    }

    @Test
    @DisplayName("golden 4 (1x0.77x0.77, 482x512x512, 131 cases): 3d_fullres 128^3 bs 2 5x[2,2,2]; cascade lowres"
            + " (2.473,1.904,1.904) median (195,207,207) 128^3 bs 2; 2d 512x512 bs 12")
    void golden4() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {1, 0.77, 0.77}, new int[] {482, 512, 512}, 131,
                1, 3);
        Plans p3 = plan3d(fp);
        assertEquals(2, p3.numStages(), "cascade: low-res stage 0, full-res stage 1");
        StagePlan full = p3.stage(1);
        assertArrayEquals(new int[] {128, 128, 128}, full.patchSize());
        assertEquals(2, full.batchSize());
        assertArrayEquals(repeat(5, 2, 2, 2), full.poolOpKernelSizes());
        assertArrayEquals(repeat(6, 3, 3, 3), full.convKernelSizes());
        assertFalse(full.doDummy2DDataAug());

        StagePlan low = p3.stage(0);
        assertArrayEquals(new double[] {2.473, 1.904, 1.904}, round3(low.currentSpacing()), 1e-9);
        assertArrayEquals(new int[] {195, 207, 207}, low.medianPatientSizeInVoxels());
        assertArrayEquals(new int[] {128, 128, 128}, low.patchSize());
        assertEquals(2, low.batchSize());
        assertArrayEquals(repeat(5, 2, 2, 2), low.poolOpKernelSizes());

        assertEquals(0, p3.stageIndexFor("3d_lowres"));
        assertEquals(1, p3.stageIndexFor("3d_fullres"));
        assertEquals(1, p3.stageIndexFor("3d_cascade_fullres"));

        StagePlan t = plan2d(fp).stage(0);
        assertArrayEquals(new int[] {512, 512}, t.patchSize());
        assertEquals(12, t.batchSize());
        assertArrayEquals(repeat(7, 2, 2), t.poolOpKernelSizes());
    }

    static double[] round3(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 1000) / 1000.0;
        }
        return out;
    }
}
