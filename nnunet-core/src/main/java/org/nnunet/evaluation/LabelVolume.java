package org.nnunet.evaluation;

import java.util.Arrays;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/** A segmentation: integer labels in (z, y, x) C order with the geometry of the image it came from. */
public record LabelVolume(int[] shape, int[] labels, ImageGeometry geometry) {

    public LabelVolume {
        if (shape.length != 3 || (long) shape[0] * shape[1] * shape[2] != labels.length) {
            throw new IllegalArgumentException("labels do not fit shape " + Arrays.toString(shape));
        }
        shape = shape.clone();
    }

    /** Labels from a NIfTI volume; values must be integers. */
    public static LabelVolume of(Volume v) {
        float[] d = v.data();
        int[] labels = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            labels[i] = Math.round(d[i]);
            if (labels[i] != d[i]) {
                throw new IllegalArgumentException("segmentation has a non-integer label " + d[i] + " at voxel " + i);
            }
        }
        return new LabelVolume(v.shape(), labels, v.geometry());
    }

    public Volume toVolume() {
        float[] d = new float[labels.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = labels[i];
        }
        return new Volume(shape, d, geometry);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Volume of one voxel in mm^3, v1 {@code np.prod(img.GetSpacing())}. */
    public double voxelVolume() {
        double[] s = geometry.itkSpacing();
        return s[0] * s[1] * s[2];
    }

    public LabelVolume withLabels(int[] newLabels) {
        return new LabelVolume(shape, newLabels, geometry);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelVolume l && Arrays.equals(shape, l.shape) && Arrays.equals(labels, l.labels)
                && geometry.equals(l.geometry);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabelVolume[shape=" + Arrays.toString(shape) + ", " + geometry + "]";
    }
}
