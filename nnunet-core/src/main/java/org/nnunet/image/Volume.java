package org.nnunet.image;

import java.util.Arrays;

/**
 * A 3D scalar image as {@code sitk.GetArrayFromImage} gives it: voxels in (z, y, x) C order (x fastest), which is
 * also NIfTI's on-disk order, so no reordering happens on read or write. Labels are stored as floats too
 * (nnU-Net does the same after loading); every label value we meet is exactly representable.
 */
public record Volume(int[] shape, float[] data, ImageGeometry geometry) {

    public Volume {
        if (shape.length != 3) {
            throw new IllegalArgumentException("a Volume is 3D (z, y, x), got shape " + Arrays.toString(shape));
        }
        long n = (long) shape[0] * shape[1] * shape[2];
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " voxels, data has " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int voxelCount() {
        return data.length;
    }

    public int index(int z, int y, int x) {
        return (z * shape[1] + y) * shape[2] + x;
    }

    public float get(int z, int y, int x) {
        return data[index(z, y, x)];
    }

    public Volume withData(float[] newData) {
        return new Volume(shape, newData, geometry);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Volume v && Arrays.equals(shape, v.shape) && Arrays.equals(data, v.data)
                && geometry.equals(v.geometry);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + geometry.hashCode();
    }

    @Override
    public String toString() {
        return "Volume[shape=" + Arrays.toString(shape) + ", " + geometry + "]";
    }
}
