package org.nnunet.augmentation;

import java.util.Arrays;

/**
 * One training sample as batchgenerators sees it: {@code data[c]} and {@code seg[c]} are C-order spatial arrays
 * (x fastest) of the spatial {@code shape} (z,y,x) or (y,x). Segmentation values are labels stored as float,
 * -1 marking voxels outside the nonzero crop (nnU-Net v1 convention).
 */
public record Sample(float[][] data, float[][] seg, int[] shape) {

    public Sample {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException("sample shape must be 2D or 3D, got " + Arrays.toString(shape));
        }
        int n = voxelCount(shape);
        for (float[] channel : data) {
            if (channel.length != n) {
                throw new IllegalArgumentException("data channel has " + channel.length
                        + " voxels, shape " + Arrays.toString(shape) + " needs " + n);
            }
        }
        for (float[] channel : seg) {
            if (channel.length != n) {
                throw new IllegalArgumentException("seg channel has " + channel.length
                        + " voxels, shape " + Arrays.toString(shape) + " needs " + n);
            }
        }
    }

    public int dimension() {
        return shape.length;
    }

    public int voxels() {
        return voxelCount(shape);
    }

    static int voxelCount(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
