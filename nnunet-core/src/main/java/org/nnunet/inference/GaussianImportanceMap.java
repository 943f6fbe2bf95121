package org.nnunet.inference;

/**
 * Gaussian weighting of a sliding-window tile, v1.7.1 {@code SegmentationNetwork._get_gaussian} with
 * {@code sigma_scale = 1/8}: a delta at {@code patch // 2} filtered by scipy {@code gaussian_filter}
 * (order 0, mode constant, truncate 4.0), divided by its maximum, cast to float32, zeros replaced by the smallest
 * nonzero value.
 *
 * <p>scipy filters axis after axis; on a delta each pass multiplies by the 1D kernel value at the offset from the
 * centre, so the map is the outer product of the 1D kernels, multiplied in axis order in double precision.
 */
public final class GaussianImportanceMap {
    public static final double SIGMA_SCALE = 1.0 / 8;
    private static final double TRUNCATE = 4.0;

    private GaussianImportanceMap() {}

    /** The map for a 2D or 3D patch, C order. */
    public static float[] compute(int[] patchSize) {
        int dims = patchSize.length;
        double[][] profiles = new double[dims][];
        int total = 1;
        for (int d = 0; d < dims; d++) {
            profiles[d] = deltaResponse(patchSize[d], patchSize[d] * SIGMA_SCALE);
            total *= patchSize[d];
        }
        double[] map = new double[total];
        double max = 0;
        int[] idx = new int[dims];
        for (int i = 0; i < total; i++) {
            double v = profiles[0][idx[0]];
            for (int d = 1; d < dims; d++) {
                v *= profiles[d][idx[d]];
            }
            map[i] = v;
            max = Math.max(max, v);
            for (int d = dims - 1; d >= 0; d--) {
                if (++idx[d] < patchSize[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        float[] out = new float[total];
        float minNonZero = Float.MAX_VALUE;
        for (int i = 0; i < total; i++) {
            out[i] = (float) (map[i] / max);
            if (out[i] != 0 && out[i] < minNonZero) {
                minNonZero = out[i];
            }
        }
        for (int i = 0; i < total; i++) {
            if (out[i] == 0) {
                out[i] = minNonZero;
            }
        }
        return out;
    }

    /** scipy {@code gaussian_filter1d} of a delta at {@code size // 2}, mode constant. */
    static double[] deltaResponse(int size, double sigma) {
        double[] kernel = kernel(sigma);
        int radius = (kernel.length - 1) / 2;
        int center = size / 2;
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            int k = i - center + radius;
            out[i] = k >= 0 && k < kernel.length ? kernel[k] : 0;
        }
        return out;
    }

    /** scipy {@code _gaussian_kernel1d}: radius {@code int(truncate * sigma + 0.5)}, weights summing to 1. */
    static double[] kernel(double sigma) {
        int radius = (int) (TRUNCATE * sigma + 0.5);
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int x = -radius; x <= radius; x++) {
            w[x + radius] = Math.exp(-0.5 / (sigma * sigma) * x * x);
            sum += w[x + radius];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
