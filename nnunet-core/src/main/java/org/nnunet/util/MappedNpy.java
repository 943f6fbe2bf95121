package org.nnunet.util;

import java.nio.FloatBuffer;

/** A read-only memory-mapped float32 {@code .npy} array: shape and C-order data. */
public record MappedNpy(int[] shape, FloatBuffer data) {

    public MappedNpy {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of values in one entry of the first axis (one channel of a (c, z, y, x) array). */
    public int sliceLength() {
        int n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }
}
