package org.nnunet.util;

import java.util.Arrays;

/** A float32 array read from or written to a NumPy {@code .npy} file: shape and C-order data. */
public record NpyArray(int[] shape, float[] data) {

    public NpyArray {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, data has " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of values in one entry of the first axis (e.g. one channel of a (c, z, y, x) array). */
    public int sliceLength() {
        return shape.length == 0 ? 1 : (shape[0] == 0 ? 0 : data.length / shape[0]);
    }

    /** Copy of entry {@code i} of the first axis (channel {@code i} of a (c, z, y, x) array). */
    public float[] slice(int i) {
        int len = sliceLength();
        return Arrays.copyOfRange(data, i * len, (i + 1) * len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[shape=" + Arrays.toString(shape) + "]";
    }
}
