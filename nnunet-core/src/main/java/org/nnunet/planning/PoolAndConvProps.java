package org.nnunet.planning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Network topology for a patch: nnU-Net v1 {@code experiment_planning/common_utils.get_pool_and_conv_props}.
 *
 * @param numPoolPerAxis how often each axis is pooled
 * @param poolOpKernelSizes one pooling kernel per downsampling step
 * @param convKernelSizes one conv kernel per resolution, the last one (bottleneck) always all 3
 * @param patchSize the patch rounded up to a multiple of {@link #mustBeDivisibleBy()}
 * @param mustBeDivisibleBy {@code 2 ** numPoolPerAxis}
 */
public record PoolAndConvProps(int[] numPoolPerAxis, int[][] poolOpKernelSizes, int[][] convKernelSizes,
        int[] patchSize, int[] mustBeDivisibleBy) {

    /**
     * Each step: axes whose spacing is below twice the smallest spacing may pool; conv kernel 3 on the largest
     * group of axes whose spacings are pairwise within a factor 2 (first such group wins ties), else 1; drop axes
     * whose current size is below {@code 2 * minFeatureMapSize} or that reached {@code maxNumPool}; stop when none
     * is left, else pool those axes by 2, double their spacing and halve their size (v1 halves without rounding).
     */
    public static PoolAndConvProps compute(double[] spacing, int[] patchSize, int minFeatureMapSize, int maxNumPool) {
        int dim = spacing.length;
        double[] currentSpacing = spacing.clone();
        double[] currentSize = new double[dim];
        for (int i = 0; i < dim; i++) {
            currentSize[i] = patchSize[i];
        }
        List<int[]> pools = new ArrayList<>();
        List<int[]> convs = new ArrayList<>();
        int[] numPool = new int[dim];
        while (true) {
            double minSpacing = Arrays.stream(currentSpacing).min().orElseThrow();
            List<Integer> axes = new ArrayList<>();
            for (int a = 0; a < dim; a++) {
                List<Integer> partners = new ArrayList<>();
                for (int i = 0; i < dim; i++) {
                    if (currentSpacing[i] / currentSpacing[a] < 2 && currentSpacing[a] / currentSpacing[i] < 2) {
                        partners.add(i);
                    }
                }
                if (partners.size() > axes.size()) {
                    axes = partners;
                }
            }
            int[] conv = new int[dim];
            boolean[] valid = new boolean[dim];
            boolean any = false;
            for (int i = 0; i < dim; i++) {
                conv[i] = axes.contains(i) ? 3 : 1;
                valid[i] = currentSpacing[i] / minSpacing < 2 && currentSize[i] >= 2 * minFeatureMapSize
                        && numPool[i] < maxNumPool;
                any |= valid[i];
            }
            if (!any) {
                break;
            }
            int[] pool = new int[dim];
            for (int i = 0; i < dim; i++) {
                if (valid[i]) {
                    pool[i] = 2;
                    numPool[i]++;
                    currentSpacing[i] *= 2;
                    currentSize[i] /= 2;
                } else {
                    pool[i] = 1;
                }
            }
            pools.add(pool);
            convs.add(conv);
        }
        int[] divisible = new int[dim];
        for (int i = 0; i < dim; i++) {
            divisible[i] = 1 << numPool[i];
        }
        int[] filler = new int[dim];
        Arrays.fill(filler, 3);
        convs.add(filler);
        return new PoolAndConvProps(numPool, pools.toArray(new int[0][]), convs.toArray(new int[0][]),
                padShape(patchSize, divisible), divisible);
    }

    /** {@code common_utils.pad_shape}: round each size up to a multiple of its divisor. */
    static int[] padShape(int[] shape, int[] divisor) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            int rem = shape[i] % divisor[i];
            out[i] = rem == 0 ? shape[i] : shape[i] + divisor[i] - rem;
        }
        return out;
    }
}
