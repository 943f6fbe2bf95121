package org.nnunet.cropping;

import java.util.Arrays;

/**
 * Axis-aligned box in (z, y, x) voxel indices, lower bound inclusive, upper bound exclusive
 * (nnU-Net's {@code crop_bbox}: {@code [[z0, z1], [y0, y1], [x0, x1]]}, {@code cropping.get_bbox_from_mask}).
 */
public record BoundingBox(int[] lower, int[] upper) {

    public BoundingBox {
        if (lower.length != 3 || upper.length != 3) {
            throw new IllegalArgumentException("a bounding box has 3 lower and 3 upper bounds");
        }
        for (int a = 0; a < 3; a++) {
            if (upper[a] < lower[a]) {
                throw new IllegalArgumentException("empty box " + Arrays.toString(lower) + " - " + Arrays.toString(upper));
            }
        }
        lower = lower.clone();
        upper = upper.clone();
    }

    /** nnU-Net's list form {@code [[z0, z1], [y0, y1], [x0, x1]]}. */
    public static BoundingBox fromPairs(int[][] pairs) {
        return new BoundingBox(new int[] {pairs[0][0], pairs[1][0], pairs[2][0]},
                new int[] {pairs[0][1], pairs[1][1], pairs[2][1]});
    }

    public int[][] toPairs() {
        return new int[][] {{lower[0], upper[0]}, {lower[1], upper[1]}, {lower[2], upper[2]}};
    }

    @Override
    public int[] lower() {
        return lower.clone();
    }

    @Override
    public int[] upper() {
        return upper.clone();
    }

    public int[] shape() {
        return new int[] {upper[0] - lower[0], upper[1] - lower[1], upper[2] - lower[2]};
    }

    /** The box's part of a (z, y, x) C-order array of the given shape ({@code cropping.crop_to_bbox}). */
    public float[] crop(float[] data, int[] shape) {
        int[] out = shape();
        float[] res = new float[out[0] * out[1] * out[2]];
        int i = 0;
        for (int z = lower[0]; z < upper[0]; z++) {
            for (int y = lower[1]; y < upper[1]; y++) {
                int src = (z * shape[1] + y) * shape[2] + lower[2];
                System.arraycopy(data, src, res, i, out[2]);
                i += out[2];
            }
        }
        return res;
    }

    public boolean[] crop(boolean[] data, int[] shape) {
        int[] out = shape();
        boolean[] res = new boolean[out[0] * out[1] * out[2]];
        int i = 0;
        for (int z = lower[0]; z < upper[0]; z++) {
            for (int y = lower[1]; y < upper[1]; y++) {
                int src = (z * shape[1] + y) * shape[2] + lower[2];
                System.arraycopy(data, src, res, i, out[2]);
                i += out[2];
            }
        }
        return res;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundingBox b && Arrays.equals(lower, b.lower) && Arrays.equals(upper, b.upper);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lower) + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        return "BoundingBox" + Arrays.deepToString(toPairs());
    }
}
