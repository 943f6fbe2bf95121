package org.nnunet.augmentation;

/**
 * skimage.transform.resize (0.19 with scipy >= 1.6) as batchgenerators calls it: mode 'edge', anti_aliasing False,
 * clip True. skimage delegates to scipy.ndimage.zoom(grid_mode=True, mode='nearest'): output voxel o samples the input
 * at (o + 0.5) * in / out - 0.5. The spline operator is separable, so it is applied one axis at a time (exact
 * in real arithmetic); axes whose size does not change are left untouched (interpolation at the nodes).
 */
public final class Resize {

    private static final int NEAREST_PAD = 12;

    private Resize() {
    }

    /** @param order 0, 1 or 3 */
    public static double[] resize(double[] image, int[] shape, int[] outShape, int order) {
        if (shape.length != outShape.length) {
            throw new IllegalArgumentException("resize needs the same rank in and out");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : image) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] current = image;
        int[] currentShape = shape.clone();
        for (int axis = 0; axis < shape.length; axis++) {
            if (outShape[axis] == shape[axis]) {
                continue;
            }
            current = resizeAxis(current, currentShape, axis, outShape[axis], order);
            currentShape[axis] = outShape[axis];
        }
        if (current == image) {
            current = image.clone();
        }
        for (int i = 0; i < current.length; i++) {
            current[i] = Math.min(Math.max(current[i], min), max);
        }
        return current;
    }

    private static double[] resizeAxis(double[] in, int[] shape, int axis, int outLen, int order) {
        int len = shape[axis];
        int[] strides = MapCoordinates.strides(shape);
        int stride = strides[axis];
        int outer = in.length / (len * stride);
        double[] out = new double[outer * outLen * stride];
        double zoom = (double) len / outLen;
        int pad = order > 1 ? NEAREST_PAD : 0;
        int paddedLen = len + 2 * pad;
        // per output position: taps (in padded line coordinates) and weights, shared by every line
        int taps = order + 1;
        int[][] index = new int[outLen][taps];
        double[][] weight = new double[outLen][taps];
        MapCoordinates.Axis ax = new MapCoordinates.Axis(order);
        for (int o = 0; o < outLen; o++) {
            double cc = (o + 0.5) * zoom - 0.5 + pad;
            ax.setup(cc, paddedLen, order, BorderMode.NEAREST);
            System.arraycopy(ax.index, 0, index[o], 0, taps);
            System.arraycopy(ax.weight, 0, weight[o], 0, taps);
        }
        double[] line = new double[paddedLen];
        for (int oo = 0; oo < outer; oo++) {
            int inBase0 = oo * len * stride;
            int outBase0 = oo * outLen * stride;
            for (int inner = 0; inner < stride; inner++) {
                int inBase = inBase0 + inner;
                for (int i = 0; i < paddedLen; i++) {
                    int src = Math.min(Math.max(i - pad, 0), len - 1);
                    line[i] = in[inBase + src * stride];
                }
                if (order > 1 && paddedLen > 1) {
                    SplineFilter.filterLine(line, paddedLen);
                }
                int outBase = outBase0 + inner;
                for (int o = 0; o < outLen; o++) {
                    double t = 0;
                    for (int k = 0; k < taps; k++) {
                        t += line[index[o][k]] * weight[o][k];
                    }
                    out[outBase + o * stride] = t;
                }
            }
        }
        return out;
    }
}
