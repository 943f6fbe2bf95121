package org.nnunet.evaluation;

import java.util.Arrays;

/**
 * 95th-percentile Hausdorff distance as medpy {@code metric.hd95} computes it for v1.7.1's
 * "Hausdorff Distance 95" (connectivity 1): surface voxels are foreground voxels removed by one binary erosion
 * with the 6-neighbourhood (outside the image counts as background); each surface voxel's distance to the other
 * surface is the exact Euclidean distance transform with the voxel spacing; the result is the 95th percentile
 * (numpy linear interpolation) of both directed distance sets together.
 */
public final class SurfaceDistance {
    private static final double INF = Double.POSITIVE_INFINITY;

    private SurfaceDistance() {}

    /** @param spacing (z, y, x) in mm; both masks must be non-empty */
    public static double hausdorff95(boolean[] test, boolean[] reference, int[] shape, double[] spacing) {
        boolean[] testBorder = border(test, shape);
        boolean[] refBorder = border(reference, shape);
        double[] a = distancesAt(testBorder, refBorder, shape, spacing);
        double[] b = distancesAt(refBorder, testBorder, shape, spacing);
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return percentile(all, 95);
    }

    /** {@code mask ^ binary_erosion(mask, 6-neighbourhood, border_value=0)}. */
    static boolean[] border(boolean[] mask, int[] shape) {
        int nz = shape[0];
        int ny = shape[1];
        int nx = shape[2];
        boolean[] out = new boolean[mask.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    if (!mask[i]) {
                        continue;
                    }
                    boolean interior = z > 0 && z < nz - 1 && y > 0 && y < ny - 1 && x > 0 && x < nx - 1
                            && mask[i - ny * nx] && mask[i + ny * nx] && mask[i - nx] && mask[i + nx]
                            && mask[i - 1] && mask[i + 1];
                    out[i] = !interior;
                }
            }
        }
        return out;
    }

    /** Distances from every {@code from} voxel to the nearest {@code to} voxel. */
    private static double[] distancesAt(boolean[] from, boolean[] to, int[] shape, double[] spacing) {
        double[] sq = squaredDistanceTransform(to, shape, spacing);
        int count = 0;
        for (boolean f : from) {
            if (f) {
                count++;
            }
        }
        double[] d = new double[count];
        int j = 0;
        for (int i = 0; i < from.length; i++) {
            if (from[i]) {
                d[j++] = Math.sqrt(sq[i]);
            }
        }
        return d;
    }

    /**
     * Exact squared Euclidean distance to the nearest {@code sites} voxel (scipy {@code distance_transform_edt} of
     * the complement), separable lower-envelope algorithm of Felzenszwalb and Huttenlocher, axis by axis.
     */
    static double[] squaredDistanceTransform(boolean[] sites, int[] shape, double[] spacing) {
        double[] g = new double[sites.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = sites[i] ? 0 : INF;
        }
        int[] strides = {shape[1] * shape[2], shape[2], 1};
        int maxLen = Math.max(shape[0], Math.max(shape[1], shape[2]));
        double[] f = new double[maxLen];
        double[] d = new double[maxLen];
        int[] v = new int[maxLen];
        double[] z = new double[maxLen + 1];
        for (int axis = 2; axis >= 0; axis--) {
            int n = shape[axis];
            int stride = strides[axis];
            for (int start = 0; start < g.length; start++) {
                if ((start / stride) % n != 0) {
                    continue; // not the first voxel of a line along this axis
                }
                for (int q = 0; q < n; q++) {
                    f[q] = g[start + q * stride];
                }
                lowerEnvelope(f, n, spacing[axis], d, v, z);
                for (int q = 0; q < n; q++) {
                    g[start + q * stride] = d[q];
                }
            }
        }
        return g;
    }

    private static void lowerEnvelope(double[] f, int n, double s, double[] d, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (f[q] == INF) {
                continue;
            }
            double xq = q * s;
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = -INF;
                z[1] = INF;
                continue;
            }
            double sI;
            while (true) { // z[0] is -inf, so k stays >= 0
                double xv = v[k] * s;
                sI = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv));
                if (sI > z[k]) {
                    break;
                }
                k--;
            }
            k++;
            v[k] = q;
            z[k] = sI;
            z[k + 1] = INF;
        }
        if (k < 0) {
            Arrays.fill(d, 0, n, INF);
            return;
        }
        int j = 0;
        for (int p = 0; p < n; p++) {
            double xp = p * s;
            while (z[j + 1] < xp) {
                j++;
            }
            double dx = xp - v[j] * s;
            d[p] = dx * dx + f[v[j]];
        }
    }

    /** numpy {@code percentile}, method "linear", including numpy's lerp form for fractions >= 0.5. */
    static double percentile(double[] values, double q) {
        double[] a = values.clone();
        Arrays.sort(a);
        double pos = q / 100 * (a.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, a.length - 1);
        double t = pos - lo;
        double diff = a[hi] - a[lo];
        return t >= 0.5 ? a[hi] - diff * (1 - t) : a[lo] + diff * t;
    }
}
