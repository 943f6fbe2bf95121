package org.nnunet.inference;

import java.util.Arrays;

/**
 * Class probabilities {@code [numClasses, z, y, x]} in C order (x fastest), nnU-Net's {@code softmax} arrays.
 */
public record SoftmaxVolume(int numClasses, int[] shape, float[] data) {

    public SoftmaxVolume {
        if (shape.length != 3) {
            throw new IllegalArgumentException("softmax needs a 3D spatial shape, got " + Arrays.toString(shape));
        }
        long n = (long) numClasses * shape[0] * shape[1] * shape[2];
        if (n != data.length) {
            throw new IllegalArgumentException("softmax " + numClasses + "x" + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int voxelCount() {
        return shape[0] * shape[1] * shape[2];
    }

    /** numpy {@code argmax(0)}: the first class with the highest probability. */
    public int[] argmax() {
        int n = voxelCount();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float best = data[i];
            int arg = 0;
            for (int c = 1; c < numClasses; c++) {
                float v = data[c * n + i];
                if (v > best) {
                    best = v;
                    arg = c;
                }
            }
            labels[i] = arg;
        }
        return labels;
    }

    /**
     * Permutes the spatial axes: result axis {@code j} is axis {@code axes[j]} of this volume. v1 undoes the
     * planner's transpose with {@code softmax.transpose([0] + [i + 1 for i in transpose_backward])}.
     */
    public SoftmaxVolume transposeSpatial(int[] axes) {
        if (axes[0] == 0 && axes[1] == 1 && axes[2] == 2) {
            return this;
        }
        int[] newShape = {shape[axes[0]], shape[axes[1]], shape[axes[2]]};
        int[] oldStrides = {shape[1] * shape[2], shape[2], 1};
        int[] s = {oldStrides[axes[0]], oldStrides[axes[1]], oldStrides[axes[2]]};
        int n = voxelCount();
        float[] out = new float[data.length];
        for (int c = 0; c < numClasses; c++) {
            int base = c * n;
            int o = base;
            for (int a = 0; a < newShape[0]; a++) {
                for (int b = 0; b < newShape[1]; b++) {
                    int src = base + a * s[0] + b * s[1];
                    for (int x = 0; x < newShape[2]; x++) {
                        out[o++] = data[src + x * s[2]];
                    }
                }
            }
        }
        return new SoftmaxVolume(numClasses, newShape, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SoftmaxVolume s && numClasses == s.numClasses && Arrays.equals(shape, s.shape)
                && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * numClasses + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SoftmaxVolume[" + numClasses + " classes, shape=" + Arrays.toString(shape) + "]";
    }
}
