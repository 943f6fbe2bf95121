package org.nnunet.preprocessing;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * nnU-Net v1.7.1 resampling ({@code preprocessing/preprocessing.py}): {@code resample_patient},
 * {@code resample_data_or_seg}, and the two resize functions they call, scikit-image 0.19
 * {@code resize(order, mode='edge', anti_aliasing=False, clip=True)} for images and batchgenerators
 * {@code resize_segmentation} for label maps. Volumes are C-order float arrays of shape (z, y, x); a 2D image is a
 * volume with one slice.
 */
public final class Resampler {
    private Resampler() {}

    /** A resampled case: the channels and the segmentation (null if there was none) at {@code shape}. */
    public record Resampled(float[][] data, float[] seg, int[] shape, SeparateZ separateZ) {}

    /**
     * {@code resample_patient} with the orders the preprocessors use (data 3, seg 1, z order 0 for both).
     * {@code forceSeparateZ} null lets the spacings decide ({@link SeparateZ#decide}).
     */
    public static Resampled resamplePatient(float[][] data, float[] seg, int[] shape, double[] originalSpacing,
                                            double[] targetSpacing, Boolean forceSeparateZ) {
        int[] newShape = SeparateZ.newShape(shape, originalSpacing, targetSpacing);
        SeparateZ sz = SeparateZ.decide(originalSpacing, targetSpacing, forceSeparateZ);
        float[][] out = new float[data.length][];
        for (int c = 0; c < data.length; c++) {
            out[c] = resampleDataOrSeg(data[c], shape, newShape, false, 3, sz, 0);
        }
        float[] segOut = seg == null ? null : resampleDataOrSeg(seg, shape, newShape, true, 1, sz, 0);
        return new Resampled(out, segOut, newShape, sz);
    }

    /**
     * {@code resample_data_or_seg} for one channel. Unchanged shape: the input is returned as it is. Separate z:
     * each slice across {@code separateZ.axis()} is resized in plane with {@code order} (images clipped to the
     * slice's own range, as skimage clips each 2D call), then the axis is interpolated with {@code orderZ}
     * ({@code map_coordinates(mode='nearest')}, no clipping).
     */
    public static float[] resampleDataOrSeg(float[] channel, int[] shape, int[] newShape, boolean isSeg, int order,
                                            SeparateZ separateZ, int orderZ) {
        if (Arrays.equals(shape, newShape)) {
            return channel;
        }
        if (!separateZ.separate()) {
            return isSeg ? resizeSegmentation(channel, shape, newShape, order) : resize(channel, shape, newShape, order);
        }
        if (isSeg && orderZ != 0) {
            throw new IllegalArgumentException("segmentation order_z " + orderZ
                    + " is not supported; nnU-Net v1 preprocessing and export use order_z 0");
        }
        int axis = separateZ.axis();
        int[] inPlane = newShape.clone();
        inPlane[axis] = shape[axis];
        float[] r;
        if (isSeg) {
            r = resizeSegmentation(channel, shape, inPlane, order);
        } else {
            r = resizeAxes(channel, shape, inPlane, order);
            clipPerSlice(channel, shape, r, inPlane, axis);
        }
        if (shape[axis] == newShape[axis]) {
            return r;
        }
        return alongAxis(r, inPlane, axis, newShape[axis], orderZ);
    }

    /**
     * scikit-image 0.19 {@code resize(image, newShape, order, mode='edge', cval=0, clip=True, anti_aliasing=False)}
     * of a float image, orders 0, 1 and 3: {@code ndimage.zoom(grid_mode=True, mode='nearest')} then clipping to the
     * input's value range.
     */
    public static float[] resize(float[] image, int[] shape, int[] newShape, int order) {
        float[] out = resizeAxes(image, shape, newShape, order);
        float[] range = minMax(image, 0, image.length);
        clip(out, 0, out.length, range[0], range[1]);
        return out;
    }

    /**
     * batchgenerators {@code resize_segmentation(seg, newShape, order=1)}: every label (in ascending order, -1
     * included) is resized as a one-hot float mask with linear interpolation; voxels where the mask reaches 0.5 get
     * that label, later labels overwriting earlier ones, the rest stays 0. The 8-corner sums are formed in scipy's
     * order, so the 0.5 threshold decides exactly as in Python.
     */
    public static float[] resizeSegmentation(float[] seg, int[] shape, int[] newShape, int order) {
        if (order != 1) {
            throw new IllegalArgumentException("segmentation resampling order " + order
                    + " is not supported; nnU-Net v1 resamples segmentations with order 1");
        }
        float[] labels = uniqueSorted(seg);
        short[] li = new short[seg.length];
        if (labels.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("more than " + Short.MAX_VALUE + " labels in a segmentation");
        }
        float last = Float.NaN;
        short lastIndex = 0;
        for (int i = 0; i < seg.length; i++) {
            if (seg[i] != last) {
                last = seg[i];
                lastIndex = (short) Arrays.binarySearch(labels, last);
            }
            li[i] = lastIndex;
        }
        AxisResampler rz = AxisResampler.of(1, shape[0], newShape[0]);
        AxisResampler ry = AxisResampler.of(1, shape[1], newShape[1]);
        AxisResampler rx = AxisResampler.of(1, shape[2], newShape[2]);
        int nz = newShape[0];
        int ny = newShape[1];
        int nx = newShape[2];
        int[] x0 = new int[nx];
        int[] x1 = new int[nx];
        double[] wx0 = new double[nx];
        double[] wx1 = new double[nx];
        for (int k = 0; k < nx; k++) {
            x0[k] = clamp(rx.start(k), shape[2]);
            x1[k] = clamp(rx.start(k) + 1, shape[2]);
            wx0[k] = rx.weight(k, 0);
            wx1[k] = rx.weight(k, 1);
        }
        float[] out = new float[nz * ny * nx];
        int sy = shape[2];
        int sz = shape[1] * shape[2];
        Parallel.forChunks(nz * ny, (from, to) -> {
            int[] cl = new int[8];
            double[] cw = new double[8];
            for (int row = from; row < to; row++) {
                int oz = row / ny;
                int oy = row % ny;
                int z0 = clamp(rz.start(oz), shape[0]) * sz;
                int z1 = clamp(rz.start(oz) + 1, shape[0]) * sz;
                double wz0 = rz.weight(oz, 0);
                double wz1 = rz.weight(oz, 1);
                int y0 = clamp(ry.start(oy), shape[1]) * sy;
                int y1 = clamp(ry.start(oy) + 1, shape[1]) * sy;
                double wy0 = ry.weight(oy, 0);
                double wy1 = ry.weight(oy, 1);
                // corner products ((wz * wy) * wx), as scipy multiplies them
                double w00 = wz0 * wy0;
                double w01 = wz0 * wy1;
                double w10 = wz1 * wy0;
                double w11 = wz1 * wy1;
                int r00 = z0 + y0;
                int r01 = z0 + y1;
                int r10 = z1 + y0;
                int r11 = z1 + y1;
                int o = (oz * ny + oy) * nx;
                for (int ox = 0; ox < nx; ox++) {
                    int a = x0[ox];
                    int b = x1[ox];
                    int l0 = li[r00 + a];
                    if (l0 == li[r00 + b] && l0 == li[r01 + a] && l0 == li[r01 + b] && l0 == li[r10 + a]
                            && l0 == li[r10 + b] && l0 == li[r11 + a] && l0 == li[r11 + b]) {
                        out[o + ox] = labels[l0];
                        continue;
                    }
                    double wa = wx0[ox];
                    double wb = wx1[ox];
                    // per-label sums, each accumulated in scipy's corner order (z, then y, then x)
                    int k = 0;
                    k = addCorner(cl, cw, k, li[r00 + a], w00 * wa);
                    k = addCorner(cl, cw, k, li[r00 + b], w00 * wb);
                    k = addCorner(cl, cw, k, li[r01 + a], w01 * wa);
                    k = addCorner(cl, cw, k, li[r01 + b], w01 * wb);
                    k = addCorner(cl, cw, k, li[r10 + a], w10 * wa);
                    k = addCorner(cl, cw, k, li[r10 + b], w10 * wb);
                    k = addCorner(cl, cw, k, li[r11 + a], w11 * wa);
                    k = addCorner(cl, cw, k, li[r11 + b], w11 * wb);
                    // labels are written in ascending order, so the largest label reaching 0.5 wins; none: 0
                    int best = -1;
                    for (int i = 0; i < k; i++) {
                        if (cw[i] >= 0.5 && cl[i] > best) {
                            best = cl[i];
                        }
                    }
                    out[o + ox] = best < 0 ? 0f : labels[best];
                }
            }
        });
        return out;
    }

    private static int addCorner(int[] cl, double[] cw, int k, int label, double w) {
        for (int i = 0; i < k; i++) {
            if (cl[i] == label) {
                cw[i] += w;
                return k;
            }
        }
        cl[k] = label;
        cw[k] = w;
        return k + 1;
    }

    /** Separable spline resampling of every axis whose length changes, shrinking axes first (least work). */
    static float[] resizeAxes(float[] image, int[] shape, int[] newShape, int order) {
        Integer[] axes = {0, 1, 2};
        Arrays.sort(axes, (a, b) -> Double.compare((double) newShape[a] / shape[a], (double) newShape[b] / shape[b]));
        int[] cur = shape.clone();
        float[] data = image;
        for (int a : axes) {
            if (cur[a] != newShape[a]) {
                data = alongAxis(data, cur, a, newShape[a], order);
                cur[a] = newShape[a];
            }
        }
        return data == image ? image.clone() : data;
    }

    /** Interpolates one axis to length {@code m} (zoom / map_coordinates coordinates, mode 'nearest'). */
    static float[] alongAxis(float[] data, int[] shape, int axis, int m, int order) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return AxisResampler.of(order, shape[axis], m).apply(data, outer, inner);
    }

    /** Clips every output slice across {@code axis} to the value range of the same input slice. */
    private static void clipPerSlice(float[] in, int[] inShape, float[] out, int[] outShape, int axis) {
        for (int s = 0; s < inShape[axis]; s++) {
            float[] range = sliceMinMax(in, inShape, axis, s);
            forEachSliceRun(outShape, axis, s, (from, to) -> clip(out, from, to, range[0], range[1]));
        }
    }

    private static float[] sliceMinMax(float[] data, int[] shape, int axis, int s) {
        float[] r = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        forEachSliceRun(shape, axis, s, (from, to) -> {
            float[] mm = minMax(data, from, to);
            r[0] = Math.min(r[0], mm[0]);
            r[1] = Math.max(r[1], mm[1]);
        });
        return r;
    }

    private interface Run {
        void accept(int from, int to);
    }

    /** Calls {@code run} for each contiguous index range of slice {@code s} across {@code axis}. */
    private static void forEachSliceRun(int[] shape, int axis, int s, Run run) {
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        for (int o = 0; o < outer; o++) {
            int from = (o * shape[axis] + s) * inner;
            run.accept(from, from + inner);
        }
    }

    private static float[] minMax(float[] data, int from, int to) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            float v = data[i];
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        return new float[] {min, max};
    }

    private static void clip(float[] data, int from, int to, float min, float max) {
        for (int i = from; i < to; i++) {
            float v = data[i];
            data[i] = v < min ? min : (v > max ? max : v);
        }
    }

    private static int clamp(int i, int len) {
        return i < 0 ? 0 : (i >= len ? len - 1 : i);
    }

    /** {@code np.unique} of a label map (few distinct values; consecutive repeats are skipped cheaply). */
    static float[] uniqueSorted(float[] seg) {
        TreeSet<Float> set = new TreeSet<>();
        float last = Float.NaN;
        for (float v : seg) {
            if (v != last) {
                set.add(v);
                last = v;
            }
        }
        float[] out = new float[set.size()];
        int i = 0;
        for (float v : set) {
            out[i++] = v;
        }
        return out;
    }
}
