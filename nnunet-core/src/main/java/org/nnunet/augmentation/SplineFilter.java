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
        int[] strides = new int[rank];
        int stride = 1;
        for (int a = rank - 1; a >= 0; a--) {
            strides[a] = stride;
            stride *= shape[a];
        }
        int total = stride;
        for (int axis = 0; axis < rank; axis++) {
            int len = shape[axis];
            if (len <= 1) {
                continue;
            }
            int axisStride = strides[axis];
            double[] line = new double[len];
            int outer = total / (len * axisStride);
            for (int o = 0; o < outer; o++) {
                int base0 = o * len * axisStride;
                for (int inner = 0; inner < axisStride; inner++) {
                    int base = base0 + inner;
                    for (int i = 0; i < len; i++) {
                        line[i] = values[base + i * axisStride];
                    }
                    filterLine(line, len);
                    for (int i = 0; i < len; i++) {
                        values[base + i * axisStride] = line[i];
                    }
                }
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
