package org.nnunet.planning;

import java.util.Arrays;

/** The few numpy reductions the planner relies on, computed as numpy 1.24 computes them (in double). */
final class NumpyStats {
    private NumpyStats() {}

    /**
     * {@code np.percentile(values, q)} with the default linear method: virtual index {@code (n - 1) * q / 100}
     * and numpy's {@code _lerp} (interpolating from the upper neighbour when the fraction is at least 0.5).
     */
    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return percentileSorted(s, q);
    }

    static double percentileSorted(double[] s, double q) {
        int n = s.length;
        double qq = q / 100.0;
        double virtual = (n - 1) * qq;
        double lowerIndex = Math.floor(virtual);
        double t = virtual - lowerIndex;
        int lo = (int) Math.max(0, Math.min(n - 1, lowerIndex));
        int hi = Math.min(n - 1, lo + 1);
        if (virtual < 0) {
            return s[0];
        }
        if (virtual >= n - 1) {
            return s[n - 1];
        }
        double a = s[lo], b = s[hi];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** {@code np.median}: middle value, or the mean of the two middle values. */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Per-column {@code np.percentile(np.vstack(rows), q, 0)}. */
    static double[] percentileColumns(double[][] rows, double q) {
        double[] out = new double[rows[0].length];
        for (int a = 0; a < out.length; a++) {
            out[a] = percentile(column(rows, a), q);
        }
        return out;
    }

    /** Per-column {@code np.median(np.vstack(rows), 0)}. */
    static double[] medianColumns(double[][] rows) {
        double[] out = new double[rows[0].length];
        for (int a = 0; a < out.length; a++) {
            out[a] = median(column(rows, a));
        }
        return out;
    }

    static double[] column(double[][] rows, int a) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][a];
        }
        return c;
    }

    static long prod(int[] a) {
        long p = 1;
        for (int v : a) {
            p *= v;
        }
        return p;
    }

    static double prod(double[] a) {
        double p = 1;
        for (double v : a) {
            p *= v;
        }
        return p;
    }

    /** {@code np.round}: half to even. */
    static int round(double v) {
        return (int) Math.rint(v);
    }
}
