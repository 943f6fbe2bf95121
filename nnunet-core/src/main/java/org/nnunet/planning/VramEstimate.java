package org.nnunet.planning;

/**
 * The planner's memory model: nnU-Net v1 {@code Generic_UNet.compute_approx_vram_consumption} (no deep
 * supervision term, as the planners call it) and the reference values it is compared with.
 */
public final class VramEstimate {
    /** {@code Generic_UNet.use_this_for_batch_size_computation_3D}. */
    public static final long REFERENCE_3D = 520_000_000L;
    /** {@code Generic_UNet.use_this_for_batch_size_computation_2D}. */
    public static final long REFERENCE_2D = 19_739_648L;
    /** {@code Generic_UNet.BASE_NUM_FEATURES_3D}: the reference was measured with 30 base features. */
    public static final int REFERENCE_BASE_FEATURES_3D = 30;
    public static final int DEFAULT_BATCH_SIZE_3D = 2;
    public static final int DEFAULT_BATCH_SIZE_2D = 50;

    private VramEstimate() {}

    /**
     * {@code (2*cps + 1) * P * base + modalities * P + classes * P} at full resolution, then per pooling step the
     * map shrinks by the pool kernel (integer division, as numpy's in-place int update), features double up to
     * {@code maxFeatures}, and {@code 2*cps + 1} blocks are counted ({@code cps} at the last step).
     */
    public static long compute(int[] patchSize, int[][] poolOpKernelSizes, int baseFeatures, int maxFeatures,
            int numModalities, int numClasses, int convPerStage) {
        long[] map = new long[patchSize.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = patchSize[i];
        }
        long p = prod(map);
        long tmp = (2L * convPerStage + 1) * p * baseFeatures + (long) numModalities * p + (long) numClasses * p;
        int feat = baseFeatures;
        int npool = poolOpKernelSizes.length;
        for (int s = 0; s < npool; s++) {
            for (int i = 0; i < map.length; i++) {
                map[i] /= poolOpKernelSizes[s][i];
            }
            feat = Math.min(feat * 2, maxFeatures);
            int blocks = s < npool - 1 ? 2 * convPerStage + 1 : convPerStage;
            tmp += blocks * prod(map) * feat;
        }
        return tmp;
    }

    private static long prod(long[] a) {
        long p = 1;
        for (long v : a) {
            p *= v;
        }
        return p;
    }
}
