package org.nnunet.augmentation;

/**
 * Cubic B-spline prefilter, scipy.ndimage.spline_filter (ni_splines.c, order 3): turns samples into spline
 * coefficients so that cubic B-spline interpolation passes through the samples. Boundaries are mirror-symmetric,
 * which scipy uses for modes constant, nearest and mirror.
 */
final class SplineFilter {

    /** sqrt(3) - 2, the single pole of the cubic B-spline filter. */
    private static final double POLE = -0.267949192431122706472553658494127633;
    private static final double GAIN = (1.0 - POLE) * (1.0 - 1.0 / POLE);

    private SplineFilter() {
    }

    /** Filters {@code values} (C-order, {@code shape}) in place along every axis. */
    static void filterInPlace(double[] values, int[] shape) {
        int rank = shape.length;
        int[] strides = MapCoordinates.strides(shape);
        for (int axis = 0; axis < rank; axis++) {
            int len = shape[axis];
            if (len <= 1) {
                continue;
            }
            int stride = strides[axis];
            int block = len * stride;
            int outer = values.length / block;
            if (stride == 1) {
                double[] line = new double[len];
                for (int o = 0; o < outer; o++) {
                    System.arraycopy(values, o * len, line, 0, len);
                    filterLine(line, len);
                    System.arraycopy(line, 0, values, o * len, len);
                }
            } else {
                double[] init = new double[stride];
                for (int o = 0; o < outer; o++) {
                    filterLines(values, o * block, len, stride, init);
                }
            }
        }
    }

    /**
     * The {@code stride} interleaved lines of one block at once ({@code c[base + i * stride + j]}, line j), with
     * exactly the per-line arithmetic of {@link #filterLine}, walking memory contiguously.
     */
    private static void filterLines(double[] c, int base, int n, int stride, double[] c0) {
        int end = base + n * stride;
        for (int k = base; k < end; k++) {
            c[k] *= GAIN;
        }
        double z = POLE;
        double zn1 = Math.pow(z, n - 1);
        int last = base + (n - 1) * stride;
        for (int j = 0; j < stride; j++) {
            c0[j] = c[base + j] + zn1 * c[last + j];
        }
        double zi = z;
        for (int i = 1; i < n - 1; i++) {
            int row = base + i * stride;
            int mirrorRow = base + (n - 1 - i) * stride;
            for (int j = 0; j < stride; j++) {
                c0[j] += zi * (c[row + j] + zn1 * c[mirrorRow + j]);
            }
            zi *= z;
        }
        double norm = 1 - zn1 * zn1;
        for (int j = 0; j < stride; j++) {
            c[base + j] = c0[j] / norm;
        }
        for (int i = 1; i < n; i++) {
            int row = base + i * stride;
            int prev = row - stride;
            for (int j = 0; j < stride; j++) {
                c[row + j] += z * c[prev + j];
            }
        }
        int beforeLast = last - stride;
        for (int j = 0; j < stride; j++) {
            c[last + j] = (z * c[beforeLast + j] + c[last + j]) * z / (z * z - 1);
        }
        for (int i = n - 2; i >= 0; i--) {
            int row = base + i * stride;
            int next = row + stride;
            for (int j = 0; j < stride; j++) {
                c[row + j] = z * (c[next + j] - c[row + j]);
            }
        }
    }

    /** One line, len > 1: gain, causal and anticausal recursions with mirror initialisation. */
    static void filterLine(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            c[i] *= GAIN;
        }
        double z = POLE;
        // causal init, mirror boundary
        double zi = z;
        double zn1 = Math.pow(z, n - 1);
        c[0] = c[0] + zn1 * c[n - 1];
        for (int i = 1; i < n - 1; i++) {
            c[0] += zi * (c[i] + zn1 * c[n - 1 - i]);
            zi *= z;
        }
        c[0] /= 1 - zn1 * zn1;
        for (int i = 1; i < n; i++) {
            c[i] += z * c[i - 1];
        }
        // anticausal init, mirror boundary
        c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1);
        for (int i = n - 2; i >= 0; i--) {
            c[i] = z * (c[i + 1] - c[i]);
        }
    }
}
