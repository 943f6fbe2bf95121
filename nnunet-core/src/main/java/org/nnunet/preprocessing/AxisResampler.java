package org.nnunet.preprocessing;

/**
 * One-dimensional interpolation along one axis of a C-order volume, with exactly the coordinates, spline weights and
 * boundary handling of {@code scipy.ndimage.zoom(..., grid_mode=True, mode='nearest')} (scipy 1.10
 * {@code NI_ZoomShift}, {@code get_spline_interpolation_weights}, {@code apply_filter}), which is what
 * scikit-image 0.19 {@code resize(mode='edge')} calls. Output position {@code k} samples the input at
 * {@code (k + 0.5) * n / m - 0.5}; nnU-Net's separate-z step ({@code map_coordinates(order=0, mode='nearest')} on
 * the same coordinates) is the order-0 case.
 *
 * <p>A tensor-product spline resize is separable: padding, prefiltering and interpolating one axis at a time gives the
 * same numbers as scipy's all-axes-at-once evaluation (up to rounding), at a fraction of the cost.
 */
final class AxisResampler {
    /** scipy pads 'nearest' inputs with 12 edge values before the spline prefilter ({@code _prepad_for_spline_filter}). */
    static final int SPLINE_PREPAD = 12;
    /** Cubic B-spline pole, {@code sqrt(3) - 2}. */
    private static final double POLE = -0.267949192431122706472553658494127633;
    /** Inner-dimension block width for strided axes: keeps the padded line buffer small. */
    private static final int BLOCK = 256;
    /**
     * Terms of the causal initial sum beyond this are below |z|^40 ~ 1e-23 relative and dropped (scipy sums the
     * whole line; the difference is far below float precision).
     */
    private static final int INIT_TERMS = 40;

    private final int order;
    private final int n;
    private final int m;
    private final int pad;
    /** First input (padded) index of each output's support. */
    private final int[] start;
    /** {@code (order + 1)} weights per output position; unused for order 0. */
    private final double[] weights;

    private AxisResampler(int order, int n, int m) {
        if (order != 0 && order != 1 && order != 3) {
            throw new IllegalArgumentException("interpolation order " + order + " is not supported (0, 1 or 3)");
        }
        this.order = order;
        this.n = n;
        this.m = m;
        this.pad = order == 3 ? SPLINE_PREPAD : 0;
        double zoom = (double) n / (double) m;
        start = new int[m];
        weights = new double[m * (order + 1)];
        for (int k = 0; k < m; k++) {
            double cc = k;
            cc += 0.5;
            cc *= zoom;
            cc -= 0.5;
            cc += pad;
            int s;
            if (order == 0) {
                s = (int) Math.floor(cc + 0.5);
            } else {
                s = (int) Math.floor(cc) - order / 2;
                splineWeights(cc, order, weights, k * (order + 1));
            }
            // 'nearest' mode: support indices outside the (padded) line are read as its first / last sample
            start[k] = s;
        }
    }

    static AxisResampler of(int order, int n, int m) {
        return new AxisResampler(order, n, m);
    }

    /** First support index of output {@code k} (unclamped; the support is clamped to the line when read). */
    int start(int k) {
        return start[k];
    }

    /** Weight of support point {@code h} of output {@code k} (orders 1 and 3). */
    double weight(int k, int h) {
        return weights[k * (order + 1) + h];
    }

    /** Same weights as scipy's {@code get_spline_interpolation_weights} for orders 1 and 3. */
    static void splineWeights(double x, int order, double[] w, int off) {
        x -= Math.floor(x);
        if (order == 1) {
            w[off] = 1.0 - x;
        } else {
            double y = x;
            double z = 1.0 - x;
            w[off + 1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
            w[off + 2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
            w[off] = z * z * z / 6.0;
        }
        double last = 1.0;
        for (int i = 0; i < order; i++) {
            last -= w[off + i];
        }
        w[off + order] = last;
    }

    private static int clampPadded(int i, int len) {
        return i < 0 ? 0 : (i >= len ? len - 1 : i);
    }

    /**
     * Resamples {@code src} of shape (outer, n, inner) along its middle axis into a new array of shape
     * (outer, m, inner).
     */
    float[] apply(float[] src, int outer, int inner) {
        float[] dst = new float[Math.multiplyExact(Math.multiplyExact(outer, m), inner)];
        if (inner == 1) {
            Parallel.forChunks(outer, (from, to) -> applyContiguous(src, dst, from, to));
        } else {
            int bw = Math.min(BLOCK, inner);
            int blocks = (inner + bw - 1) / bw;
            Parallel.forChunks(outer * blocks, (from, to) -> applyStrided(src, dst, inner, bw, blocks, from, to));
        }
        return dst;
    }

    /** Lines {@code from..to-1} of an innermost axis. */
    private void applyContiguous(float[] src, float[] dst, int from, int to) {
        int len = n + 2 * pad;
        double[] line = new double[len];
        int taps = order + 1;
        for (int o = from; o < to; o++) {
            int base = o * n;
            if (order == 3) {
                for (int p = 0; p < len; p++) {
                    line[p] = src[base + clampPadded(p - pad, n)];
                }
                prefilter(line, len);
            } else {
                for (int p = 0; p < n; p++) {
                    line[p] = src[base + p];
                }
            }
            int out = o * m;
            for (int k = 0; k < m; k++) {
                int s = start[k];
                double t;
                if (order == 0) {
                    t = line[clampPadded(s, len)];
                } else {
                    t = 0.0;
                    int wo = k * taps;
                    if (s >= 0 && s + order < len) {
                        for (int h = 0; h < taps; h++) {
                            t += line[s + h] * weights[wo + h];
                        }
                    } else {
                        for (int h = 0; h < taps; h++) {
                            t += line[clampPadded(s + h, len)] * weights[wo + h];
                        }
                    }
                }
                dst[out + k] = (float) t;
            }
        }
    }

    /** Work items {@code from..to-1}, each one block of {@code bw} columns of one outer index. */
    private void applyStrided(float[] src, float[] dst, int inner, int bw, int blocks, int from, int to) {
        int len = n + 2 * pad;
        int taps = order + 1;
        double[] buf = order == 3 ? new double[len * bw] : null;
        double[] acc = new double[bw];
        for (int item = from; item < to; item++) {
            int o = item / blocks;
            int i0 = (item % blocks) * bw;
            long srcBase = (long) o * n * inner;
            long dstBase = (long) o * m * inner;
            int b = Math.min(bw, inner - i0);
            if (order == 3) {
                for (int p = 0; p < len; p++) {
                    int row = (int) (srcBase + (long) clampPadded(p - pad, n) * inner + i0);
                    int bo = p * bw;
                    for (int j = 0; j < b; j++) {
                        buf[bo + j] = src[row + j];
                    }
                }
                prefilterColumns(buf, len, bw, b);
                for (int k = 0; k < m; k++) {
                    int s = start[k];
                    int wo = k * taps;
                    java.util.Arrays.fill(acc, 0, b, 0.0);
                    for (int h = 0; h < taps; h++) {
                        double w = weights[wo + h];
                        int bo = clampPadded(s + h, len) * bw;
                        for (int j = 0; j < b; j++) {
                            acc[j] += buf[bo + j] * w;
                        }
                    }
                    int out = (int) (dstBase + (long) k * inner + i0);
                    for (int j = 0; j < b; j++) {
                        dst[out + j] = (float) acc[j];
                    }
                }
            } else {
                for (int k = 0; k < m; k++) {
                    int s = start[k];
                    int out = (int) (dstBase + (long) k * inner + i0);
                    if (order == 0) {
                        int row = (int) (srcBase + (long) clampPadded(s, n) * inner + i0);
                        System.arraycopy(src, row, dst, out, b);
                    } else {
                        int wo = k * taps;
                        java.util.Arrays.fill(acc, 0, b, 0.0);
                        for (int h = 0; h < taps; h++) {
                            double w = weights[wo + h];
                            int row = (int) (srcBase + (long) clampPadded(s + h, n) * inner + i0);
                            for (int j = 0; j < b; j++) {
                                acc[j] += src[row + j] * w;
                            }
                        }
                        for (int j = 0; j < b; j++) {
                            dst[out + j] = (float) acc[j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Cubic B-spline prefilter of one line, scipy's {@code apply_filter} with the reflect initialisation that
     * ndimage uses for mode 'nearest' ({@code _init_causal_reflect}, {@code _init_anticausal_reflect}).
     */
    static void prefilter(double[] c, int len) {
        if (len <= 1) {
            return;
        }
        final double z = POLE;
        final double gain = (1.0 - z) * (1.0 - 1.0 / z);
        for (int i = 0; i < len; i++) {
            c[i] *= gain;
        }
        double zi = z;
        double zn = Math.pow(z, len);
        double c0 = c[0];
        double acc = c[0] + zn * c[len - 1];
        int terms = Math.min(len, INIT_TERMS);
        for (int i = 1; i < terms; i++) {
            acc += zi * (c[i] + zn * c[len - 1 - i]);
            zi *= z;
        }
        acc *= z / (1 - zn * zn);
        c[0] = acc + c0;
        for (int i = 1; i < len; i++) {
            c[i] += z * c[i - 1];
        }
        c[len - 1] *= z / (z - 1);
        for (int i = len - 2; i >= 0; i--) {
            c[i] = z * (c[i + 1] - c[i]);
        }
    }

    /** {@link #prefilter} applied to {@code b} columns of a row-major (len x bw) block at once. */
    private static void prefilterColumns(double[] c, int len, int bw, int b) {
        if (len <= 1) {
            return;
        }
        final double z = POLE;
        final double gain = (1.0 - z) * (1.0 - 1.0 / z);
        for (int p = 0; p < len; p++) {
            int bo = p * bw;
            for (int j = 0; j < b; j++) {
                c[bo + j] *= gain;
            }
        }
        double zn = Math.pow(z, len);
        double[] acc = new double[b];
        int lastRow = (len - 1) * bw;
        for (int j = 0; j < b; j++) {
            acc[j] = c[j] + zn * c[lastRow + j];
        }
        double zi = z;
        int terms = Math.min(len, INIT_TERMS);
        for (int i = 1; i < terms; i++) {
            int bi = i * bw;
            int bm = (len - 1 - i) * bw;
            for (int j = 0; j < b; j++) {
                acc[j] += zi * (c[bi + j] + zn * c[bm + j]);
            }
            zi *= z;
        }
        double f = z / (1 - zn * zn);
        for (int j = 0; j < b; j++) {
            c[j] = acc[j] * f + c[j];
        }
        for (int i = 1; i < len; i++) {
            int bi = i * bw;
            int bp = bi - bw;
            for (int j = 0; j < b; j++) {
                c[bi + j] += z * c[bp + j];
            }
        }
        double fa = z / (z - 1);
        for (int j = 0; j < b; j++) {
            c[lastRow + j] *= fa;
        }
        for (int i = len - 2; i >= 0; i--) {
            int bi = i * bw;
            int bn = bi + bw;
            for (int j = 0; j < b; j++) {
                c[bi + j] = z * (c[bn + j] - c[bi + j]);
            }
        }
    }
}
