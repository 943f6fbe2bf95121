package org.nnunet.augmentation;

import java.util.Arrays;

/**
 * scipy.ndimage.map_coordinates (scipy 1.10, ni_interpolation.c) for 2-D and 3-D images: spline orders 0, 1 and 3,
 * modes {@link BorderMode#CONSTANT} and {@link BorderMode#NEAREST}. Arithmetic follows scipy's (weights, tap order,
 * mirror-mapped taps at the border) so results agree to float precision.
 */
public final class MapCoordinates {

    /** scipy _prepad_for_spline_filter pads by 12 for mode nearest before the spline prefilter. */
    private static final int NEAREST_PAD = 12;

    private MapCoordinates() {
    }

    /**
     * Samples {@code image} at {@code coords[axis][point]} (array index units).
     *
     * @return one value per point, cast to float as batchgenerators stores them
     */
    public static float[] map(float[] image, int[] shape, double[][] coords, int order, BorderMode mode,
                              double cval) {
        Prepared p = prepare(image, shape, order, mode);
        int rank = shape.length;
        checkCoords(coords, rank);
        int n = coords[0].length;
        float[] out = new float[n];
        Axis[] axes = new Axis[rank];
        for (int a = 0; a < rank; a++) {
            axes[a] = new Axis(order);
        }
        for (int i = 0; i < n; i++) {
            boolean inside = true;
            for (int a = 0; a < rank && inside; a++) {
                inside = axes[a].setup(coords[a][i] + p.shift, p.shape[a], order, mode);
            }
            out[i] = (float) (inside ? p.evaluate(axes) : cval);
        }
        return out;
    }

    /**
     * batchgenerators interpolate_img(..., is_seg=True) for order 1: every label present in {@code seg} is
     * interpolated as an indicator image; the output takes the last (largest) label whose interpolated indicator is
     * >= 0.5, and 0 where none is. With a negative cval the outside of the image therefore becomes 0.
     */
    public static float[] mapLabels(float[] seg, int[] shape, double[][] coords, int order, BorderMode mode,
                                    double cval) {
        if (order == 0) {
            return map(seg, shape, coords, 0, mode, cval);
        }
        if (order != 1) {
            throw new IllegalArgumentException("label interpolation supports order 0 and 1, got " + order);
        }
        int rank = shape.length;
        checkCoords(coords, rank);
        float[] labels = uniqueSorted(seg);
        int[] labelIndex = labelIndices(seg, labels);
        float outsideValue = cval >= 0.5 ? labels[labels.length - 1] : 0f;
        int[] strides = strides(shape);
        int n = coords[0].length;
        float[] out = new float[n];
        Axis[] axes = new Axis[rank];
        for (int a = 0; a < rank; a++) {
            axes[a] = new Axis(1);
        }
        double[] sums = new double[labels.length];
        for (int i = 0; i < n; i++) {
            boolean inside = true;
            for (int a = 0; a < rank && inside; a++) {
                inside = axes[a].setup(coords[a][i], shape[a], 1, mode);
            }
            if (!inside) {
                out[i] = outsideValue;
                continue;
            }
            Arrays.fill(sums, 0);
            if (rank == 3) {
                for (int u = 0; u < 2; u++) {
                    int iu = axes[0].index[u] * strides[0];
                    double wu = axes[0].weight[u];
                    for (int v = 0; v < 2; v++) {
                        int iv = iu + axes[1].index[v] * strides[1];
                        double wv = axes[1].weight[v];
                        for (int w = 0; w < 2; w++) {
                            sums[labelIndex[iv + axes[2].index[w]]] += 1.0 * wu * wv * axes[2].weight[w];
                        }
                    }
                }
            } else {
                for (int u = 0; u < 2; u++) {
                    int iu = axes[0].index[u] * strides[0];
                    double wu = axes[0].weight[u];
                    for (int v = 0; v < 2; v++) {
                        sums[labelIndex[iu + axes[1].index[v]]] += 1.0 * wu * axes[1].weight[v];
                    }
                }
            }
            float value = 0f;
            for (int k = 0; k < labels.length; k++) {
                if (sums[k] >= 0.5) {
                    value = labels[k];
                }
            }
            out[i] = value;
        }
        return out;
    }

    /** Position of each voxel's label in {@code labels}; label maps have long runs, so the last hit is tried first. */
    private static int[] labelIndices(float[] seg, float[] labels) {
        int[] index = new int[seg.length];
        float last = labels[0];
        int lastIndex = 0;
        for (int i = 0; i < seg.length; i++) {
            float v = seg[i];
            if (Float.compare(v, last) != 0) {
                lastIndex = labels.length <= 8 ? linearSearch(labels, v) : Arrays.binarySearch(labels, v);
                last = v;
            }
            index[i] = lastIndex;
        }
        return index;
    }

    private static int linearSearch(float[] labels, float v) {
        for (int k = 0; k < labels.length; k++) {
            if (Float.compare(labels[k], v) == 0) {
                return k;
            }
        }
        throw new IllegalStateException("label " + v + " missing from the unique labels");
    }

    /** np.unique for label maps: a linear scan while there are few distinct values, a sort otherwise. */
    static float[] uniqueSorted(float[] values) {
        float[] distinct = new float[16];
        int n = 0;
        float last = Float.NaN;
        outer:
        for (float v : values) {
            if (Float.compare(v, last) == 0) {
                continue;
            }
            last = v;
            for (int k = 0; k < n; k++) {
                if (Float.compare(distinct[k], v) == 0) {
                    continue outer;
                }
            }
            if (n == 64) {
                return uniqueBySorting(values);
            }
            if (n == distinct.length) {
                distinct = Arrays.copyOf(distinct, 2 * n);
            }
            distinct[n++] = v;
        }
        float[] out = Arrays.copyOf(distinct, n);
        Arrays.sort(out);
        return out;
    }

    private static float[] uniqueBySorting(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || Float.compare(sorted[i], sorted[n - 1]) != 0) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    private static void checkCoords(double[][] coords, int rank) {
        if (rank != 2 && rank != 3) {
            throw new IllegalArgumentException("map_coordinates supports 2-D and 3-D images, got rank " + rank);
        }
        if (coords.length != rank) {
            throw new IllegalArgumentException("need " + rank + " coordinate arrays, got " + coords.length);
        }
    }

    static int[] strides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int a = shape.length - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        return strides;
    }

    /** Spline coefficients of an image, plus the coordinate shift scipy adds for padded (nearest, cubic) input. */
    private static Prepared prepare(float[] image, int[] shape, int order, BorderMode mode) {
        if (order != 0 && order != 1 && order != 3) {
            throw new IllegalArgumentException("supported spline orders are 0, 1 and 3, got " + order);
        }
        if (Sample.voxelCount(shape) != image.length) {
            throw new IllegalArgumentException("image has " + image.length + " values, shape "
                    + Arrays.toString(shape) + " needs " + Sample.voxelCount(shape));
        }
        if (order <= 1) {
            double[] values = new double[image.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = image[i];
            }
            return new Prepared(values, shape.clone(), 0);
        }
        if (mode == BorderMode.NEAREST) {
            int[] padded = new int[shape.length];
            for (int a = 0; a < shape.length; a++) {
                padded[a] = shape[a] + 2 * NEAREST_PAD;
            }
            double[] values = edgePad(image, shape, padded, NEAREST_PAD);
            SplineFilter.filterInPlace(values, padded);
            return new Prepared(values, padded, NEAREST_PAD);
        }
        double[] values = new double[image.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = image[i];
        }
        SplineFilter.filterInPlace(values, shape);
        return new Prepared(values, shape.clone(), 0);
    }

    private static double[] edgePad(float[] image, int[] shape, int[] padded, int pad) {
        int rank = shape.length;
        int[] inStrides = strides(shape);
        double[] out = new double[Sample.voxelCount(padded)];
        int[] idx = new int[rank];
        for (int i = 0; i < out.length; i++) {
            int rem = i;
            int src = 0;
            for (int a = rank - 1; a >= 0; a--) {
                idx[a] = rem % padded[a];
                rem /= padded[a];
                int s = Math.min(Math.max(idx[a] - pad, 0), shape[a] - 1);
                src += s * inStrides[a];
            }
            out[i] = image[src];
        }
        return out;
    }

    private record Prepared(double[] coefficients, int[] shape, int shift, int[] strides) {

        Prepared(double[] coefficients, int[] shape, int shift) {
            this(coefficients, shape, shift, MapCoordinates.strides(shape));
        }

        double evaluate(Axis[] axes) {
            double t = 0.0;
            if (axes.length == 3) {
                Axis a0 = axes[0];
                Axis a1 = axes[1];
                Axis a2 = axes[2];
                int taps = a0.index.length;
                for (int u = 0; u < taps; u++) {
                    int iu = a0.index[u] * strides[0];
                    double wu = a0.weight[u];
                    for (int v = 0; v < taps; v++) {
                        int iv = iu + a1.index[v] * strides[1];
                        double wv = a1.weight[v];
                        for (int w = 0; w < taps; w++) {
                            t += coefficients[iv + a2.index[w]] * wu * wv * a2.weight[w];
                        }
                    }
                }
            } else {
                Axis a0 = axes[0];
                Axis a1 = axes[1];
                int taps = a0.index.length;
                for (int u = 0; u < taps; u++) {
                    int iu = a0.index[u] * strides[0];
                    double wu = a0.weight[u];
                    for (int v = 0; v < taps; v++) {
                        t += coefficients[iu + a1.index[v]] * wu * a1.weight[v];
                    }
                }
            }
            return t;
        }
    }

    /** Tap indices (already mirror-mapped into the array) and spline weights of one point along one axis. */
    static final class Axis {
        final int[] index;
        final double[] weight;

        Axis(int order) {
            index = new int[order + 1];
            weight = new double[order + 1];
        }

        /** @return false when the point lies outside the image in constant mode (scipy then returns cval) */
        boolean setup(double in, int len, int order, BorderMode mode) {
            double cc = in;
            if (cc < 0 || cc > len - 1) {
                if (mode == BorderMode.CONSTANT) {
                    return false;
                }
                cc = cc < 0 ? 0 : len - 1;
            }
            long start = (order & 1) == 1 ? (long) Math.floor(cc) - order / 2 : (long) Math.floor(cc + 0.5) - order / 2;
            for (int l = 0; l <= order; l++) {
                index[l] = mirror(start + l, len);
            }
            splineWeights(cc, order, weight);
            return true;
        }

        private static int mirror(long idx, int len) {
            if (idx >= 0 && idx < len) {
                return (int) idx;
            }
            if (len <= 1) {
                return 0;
            }
            long s2 = 2L * len - 2;
            if (idx < 0) {
                idx = s2 * (-idx / s2) + idx;
                idx = idx <= 1 - len ? idx + s2 : -idx;
            } else {
                idx -= s2 * (idx / s2);
                if (idx >= len) {
                    idx = s2 - idx;
                }
            }
            return (int) idx;
        }
    }

    /** get_spline_interpolation_weights of ni_splines.c for orders 0, 1 and 3. */
    static void splineWeights(double x, int order, double[] w) {
        switch (order) {
            case 0 -> w[0] = 1.0;
            case 1 -> {
                x -= Math.floor(x);
                w[0] = 1.0 - x;
                w[1] = 1.0 - w[0];
            }
            case 3 -> {
                x -= Math.floor(x);
                double y = x;
                double z = 1.0 - x;
                w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
                w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
                w[0] = z * z * z / 6.0;
                w[3] = 1.0 - w[0] - w[1] - w[2];
            }
            default -> throw new IllegalArgumentException("unsupported spline order " + order);
        }
    }
}
