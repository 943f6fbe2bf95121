package org.nnunet.augmentation;

/**
 * scipy.ndimage.gaussian_filter(x, sigma) with its defaults: mode 'reflect' (d c b a | a b c d | d c b a),
 * truncate 4.0, separable 1-D correlations along each axis in turn, float32 storage between passes.
 */
public final class GaussianFilter {

    private GaussianFilter() {
    }

    /** Blurs {@code image} (C-order, {@code shape}) in place with the same sigma along every axis. */
    public static void filterInPlace(float[] image, int[] shape, double sigma) {
        double[] kernel = kernel(sigma);
        int radius = kernel.length / 2;
        int[] strides = MapCoordinates.strides(shape);
        int total = image.length;
        for (int axis = 0; axis < shape.length; axis++) {
            int len = shape[axis];
            int stride = strides[axis];
            double[] line = new double[len + 2 * radius];
            int outer = total / (len * stride);
            for (int o = 0; o < outer; o++) {
                int base0 = o * len * stride;
                for (int inner = 0; inner < stride; inner++) {
                    int base = base0 + inner;
                    for (int i = -radius; i < len + radius; i++) {
                        line[i + radius] = image[base + reflect(i, len) * stride];
                    }
                    for (int i = 0; i < len; i++) {
                        int c = i + radius;
                        double acc = line[c] * kernel[radius];
                        for (int j = 1; j <= radius; j++) {
                            acc += (line[c - j] + line[c + j]) * kernel[radius + j];
                        }
                        image[base + i * stride] = (float) acc;
                    }
                }
            }
        }
    }

    /** scipy _gaussian_kernel1d, order 0: radius int(4 * sigma + 0.5), normalised exp(-x^2 / (2 sigma^2)). */
    static double[] kernel(double sigma) {
        int radius = (int) (4.0 * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int x = -radius; x <= radius; x++) {
            k[x + radius] = Math.exp(-0.5 / (sigma * sigma) * x * x);
            sum += k[x + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Half-sample symmetric extension with period 2n. */
    private static int reflect(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
