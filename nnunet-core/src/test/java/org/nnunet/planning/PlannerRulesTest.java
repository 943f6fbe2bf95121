package org.nnunet.planning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Single nnU-Net v1.7.1 planning rules, each pinned by a hand-computed example. */
class PlannerRulesTest {
    private static final Path CROPPED = Path.of("cropped");
    private static final Path PREPROCESSED = Path.of("preprocessed");

    @Test
    @DisplayName("Generic_UNet.compute_approx_vram_consumption: 128^3, 5x[2,2,2], base 32, max 320, 1 modality,"
            + " 2 classes = 452,796,416")
    void vramCheckValue() {
        int[][] pools = GoldenPlansTest.repeat(5, 2, 2, 2);
        assertEquals(452_796_416L, VramEstimate.compute(new int[] {128, 128, 128}, pools, 32, 320, 1, 2, 2));
    }

    @Test
    @DisplayName("get_pool_and_conv_props halves the size without rounding (v1 common_utils: current_size /= 2):"
            + " 15 pools once (7.5 < 8), 16 twice")
    void poolPropsHalvesWithoutRounding() {
        PoolAndConvProps p15 = PoolAndConvProps.compute(new double[] {1, 1}, new int[] {15, 16}, 4, 999);
        assertArrayEquals(new int[] {1, 2}, p15.numPoolPerAxis());
        assertArrayEquals(new int[][] {{2, 2}, {1, 2}}, p15.poolOpKernelSizes());
        assertArrayEquals(new int[] {16, 16}, p15.patchSize(), "padded to a multiple of 2 and 4");
    }

    @Test
    @DisplayName("get_pool_and_conv_props: conv kernel 3 on the largest group of axes within a factor 2 of each"
            + " other; axes coarser than twice the finest are not pooled")
    void poolPropsKernelsFollowSpacing() {
        PoolAndConvProps p = PoolAndConvProps.compute(new double[] {3.9, 0.8, 0.8}, new int[] {20, 256, 256}, 4,
                999);
        assertArrayEquals(new int[] {1, 3, 3}, p.convKernelSizes()[0]);
        assertArrayEquals(new int[] {1, 3, 3}, p.convKernelSizes()[1]);
        assertArrayEquals(new int[] {3, 3, 3}, p.convKernelSizes()[2], "spacing (3.9, 3.2, 3.2) after two pools");
        assertArrayEquals(new int[] {1, 2, 2}, p.poolOpKernelSizes()[0]);
        assertArrayEquals(new int[] {1, 2, 2}, p.poolOpKernelSizes()[1]);
        assertArrayEquals(new int[] {2, 2, 2}, p.poolOpKernelSizes()[2]);
    }

    /** Ten cases at (z, 0.8, 0.8) with z spacings 3,4,5,5,5,5,5,5,6,6: median 5, 10th percentile 3.9. */
    private static DatasetFingerprint anisotropic(int slices, double inPlane2) {
        double[] z = {3, 4, 5, 5, 5, 5, 5, 5, 6, 6};
        List<double[]> spacings = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (double v : z) {
            spacings.add(new double[] {v, inPlane2, 0.8});
            sizes.add(new int[] {slices, 256, 256});
        }
        return Fingerprints.of(spacings, sizes, 1, 2, "MRI");
    }

    @Test
    @DisplayName("ExperimentPlanner3D_v21.get_target_spacing: (5,0.8,0.8) with few slices (20*3 < 256) takes the"
            + " 10th percentile 3.9 on z; first conv kernels [1,3,3]")
    void anisotropicTargetSpacing() {
        ExperimentPlanner3D planner = new ExperimentPlanner3D(anisotropic(20, 0.8), CROPPED, PREPROCESSED);
        assertArrayEquals(new double[] {3.9, 0.8, 0.8}, planner.targetSpacing(), 1e-12);
        StagePlan s = planner.plan().stage(0);
        assertArrayEquals(new double[] {3.9, 0.8, 0.8}, s.currentSpacing(), 1e-12);
        assertArrayEquals(new int[] {1, 3, 3}, s.convKernelSizes()[0]);
        assertArrayEquals(new int[] {1, 2, 2}, s.poolOpKernelSizes()[0]);
    }

    @Test
    @DisplayName("get_target_spacing: many slices (100*3 >= 256) keep the median 5 on z")
    void anisotropicSpacingButManySlicesKeepsMedian() {
        ExperimentPlanner3D planner = new ExperimentPlanner3D(anisotropic(100, 0.8), CROPPED, PREPROCESSED);
        assertArrayEquals(new double[] {5, 0.8, 0.8}, planner.targetSpacing(), 1e-12);
    }

    @Test
    @DisplayName("get_target_spacing: a tie of the two largest spacings (5, 5, 0.8) is not anisotropic: median kept,"
            + " transpose stays [0,1,2]")
    void tieOfLargestSpacingsIsNotAnisotropic() {
        ExperimentPlanner3D planner = new ExperimentPlanner3D(anisotropic(20, 5), CROPPED, PREPROCESSED);
        assertArrayEquals(new double[] {5, 5, 0.8}, planner.targetSpacing(), 1e-12);
        assertArrayEquals(new int[] {0, 1, 2}, planner.plan().transposeForward());
    }

    @Test
    @DisplayName("get_target_spacing: the 10th percentile is raised to the largest other spacing + 1e-5")
    void anisotropicPercentileClampedToOtherAxes() {
        List<double[]> spacings = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        double[] z = {0.5, 0.5, 5, 5, 5, 5, 5, 5, 5, 5};
        for (double v : z) {
            spacings.add(new double[] {v, 0.8, 0.8});
            sizes.add(new int[] {20, 256, 256});
        }
        ExperimentPlanner3D planner = new ExperimentPlanner3D(Fingerprints.of(spacings, sizes, 1, 2, "MRI"),
                CROPPED, PREPROCESSED);
        assertArrayEquals(new double[] {0.8 + 1e-5, 0.8, 0.8}, planner.targetSpacing(), 1e-12);
    }

    @Test
    @DisplayName("transpose_forward puts the coarsest target axis first: (0.8, 0.8, 4) -> [2, 0, 1], back [1, 2, 0]")
    void transposeCoarsestAxisFirst() {
        List<double[]> spacings = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            spacings.add(new double[] {0.8, 0.8, 4});
            sizes.add(new int[] {200, 200, 200});
        }
        Plans p = new ExperimentPlanner3D(Fingerprints.of(spacings, sizes, 1, 2, "MRI"), CROPPED, PREPROCESSED)
                .plan();
        assertArrayEquals(new int[] {2, 0, 1}, p.transposeForward());
        assertArrayEquals(new int[] {1, 2, 0}, p.transposeBackward());
        assertEquals(4, p.fullResolution().currentSpacing()[0], 1e-12);
    }

    /**
     * A 2D dataset as nnU-Net v1 sees it: pseudo-3D files of 1 x 320 x 320 with spacing (999, 1, 1), 1000 cases.
     * Hand computation (v1 code paths, nothing special-cased for 2D data):
     * 2d: patch (320, 320), 6 pools of [2,2]; estimate with 30 features, max 512 = 30,348,800;
     * bs = floor(493,491,200 / 30,348,800) * 2 = 16 * 2 = 32; cap round(0.05 * 102400 * 1000 / 102400) = 5120 -> 32.
     * 3d_fullres: 10th-percentile rule keeps 999; patch (1, 320, 320), 6 pools of [1,2,2], kernels [1,3,3] then
     * [3,3,3]; estimate = 31,843,200; bs = floor(554,666,666.7 / 31,843,200 * 2) = 34; dummy-2D since 320/1 > 3;
     * no low-res stage (median/patch = 1 < 4).
     */
    @Test
    @DisplayName("2D dataset (1 x 320 x 320, spacing 999,1,1): 2d in-plane patch bs 32; 3d_fullres planned like v1:"
            + " patch 1x320x320, [1,2,2] pools, bs 34, dummy-2D")
    void twoDimensionalDataset() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {999, 1, 1}, new int[] {1, 320, 320}, 1000, 1, 2);
        StagePlan t = new ExperimentPlanner2D(fp, CROPPED, PREPROCESSED).plan().stage(0);
        assertArrayEquals(new int[] {320, 320}, t.patchSize());
        assertEquals(32, t.batchSize());
        assertArrayEquals(GoldenPlansTest.repeat(6, 2, 2), t.poolOpKernelSizes());
        assertArrayEquals(new double[] {999, 1, 1}, t.currentSpacing(), 0);

        Plans p3 = new ExperimentPlanner3D(fp, CROPPED, PREPROCESSED).plan();
        assertEquals(1, p3.numStages());
        StagePlan s = p3.stage(0);
        assertArrayEquals(new int[] {1, 320, 320}, s.patchSize());
        assertArrayEquals(GoldenPlansTest.repeat(6, 1, 2, 2), s.poolOpKernelSizes());
        int[][] convs = GoldenPlansTest.repeat(7, 1, 3, 3);
        convs[6] = new int[] {3, 3, 3};
        assertArrayEquals(convs, s.convKernelSizes());
        assertEquals(31_843_200L, VramEstimate.compute(s.patchSize(), s.poolOpKernelSizes(), 32, 320, 1, 2, 2));
        assertEquals(34, s.batchSize());
        assertTrue(s.doDummy2DDataAug());
    }

    @Test
    @DisplayName("batch size cap: round(0.05 * dataset voxels / patch voxels) rounds half to even (2.5 -> 2)")
    void batchCapRoundsHalfToEven() {
        DatasetFingerprint fp = Fingerprints.allAlike(new double[] {999, 1, 1}, new int[] {1, 320, 320}, 50, 1, 2);
        assertEquals(2, new ExperimentPlanner3D(fp, CROPPED, PREPROCESSED).plan().stage(0).batchSize());
        assertEquals(2, new ExperimentPlanner2D(fp, CROPPED, PREPROCESSED).plan().stage(0).batchSize());
    }

    @Test
    @DisplayName("normalization: CT/ct -> CT, noNorm -> noNorm, else nonCT; use_mask_for_norm iff not CT and"
            + " median size reduction < 0.75")
    void normalizationAndMask() {
        List<double[]> sp = List.of(new double[] {1, 1, 1}, new double[] {1, 1, 1}, new double[] {1, 1, 1});
        List<int[]> sz = List.of(new int[] {40, 40, 40}, new int[] {40, 40, 40}, new int[] {40, 40, 40});
        DatasetFingerprint base = Fingerprints.of(sp, sz, 3, 2, "MRI");
        java.util.Map<Integer, String> mods = new java.util.LinkedHashMap<>();
        mods.put(0, "CT");
        mods.put(1, "noNorm");
        mods.put(2, "T1");
        java.util.Map<String, Double> red = new java.util.LinkedHashMap<>();
        red.put("case_000", 0.5);
        red.put("case_001", 0.7);
        red.put("case_002", 1.0);
        DatasetFingerprint fp = new DatasetFingerprint(base.caseIdentifiers(), sz, sp, base.allClasses(),
                base.classDct(), mods, null, red, base.segmentationPropsPerPatient());
        Plans p = new ExperimentPlanner3D(fp, CROPPED, PREPROCESSED).plan();
        assertEquals(java.util.Map.of(0, "CT", 1, "noNorm", 2, "nonCT"), p.normalizationSchemes());
        assertEquals(java.util.Map.of(0, false, 1, true, 2, true), p.useMaskForNorm());
        assertFalse(new ExperimentPlanner2D(fp, CROPPED, PREPROCESSED).plan().useMaskForNorm().get(0));
    }

    @Test
    @DisplayName("np.percentile linear interpolation and np.median match numpy 1.24 (values printed by numpy)")
    void numpyPercentiles() {
        double[] a = {3, 4, 5, 5, 5, 5, 5, 5, 6, 6};
        assertEquals(3.9, NumpyStats.percentile(a, 10), 0);
        assertEquals(5.0, NumpyStats.median(a), 0);
        double[] b = {0.7, 1.3, 2.9, -4.2, 10.5, 3.3, 8.25};
        assertEquals(10.4325, NumpyStats.percentile(b, 99.5), 0);
        assertEquals(-4.053, NumpyStats.percentile(b, 0.5), 0);
        assertEquals(1.6519999999999997, NumpyStats.percentile(b, 37), 0);
        float[] v = new float[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i + 1) * 0.37f;
        }
        IntensityStatistics st = IntensityStatistics.of(v);
        assertEquals(736.3018377685546, st.percentile99_5(), 0);
        assertEquals(4.068150171041489, st.percentile00_5(), 0);
    }
}
