package org.nnunet.augmentation;

/**
 * The binary morphology the cascade augmentation uses (v1 pyramid_augmentations via scikit-image 0.19):
 * {@code ball(radius)} footprints and {@code binary_erosion/dilation/opening/closing}, which call scipy.ndimage
 * (erosion with border value True, dilation with border value False). Volumes are C-order (z, y, x) masks.
 *
 * <p>scipy places a footprint of size n at offset {@code n / 2}; erosion reads {@code x[p + o]} and dilation
 * {@code x[p - o]} over the footprint offsets {@code o}, which shifts by one voxel for even sizes (a ball of radius
 * 1.5 is 4x4x4), exactly as scipy does.
 */
final class BinaryMorphology {

    enum Operation { DILATION, EROSION, CLOSING, OPENING }

    private BinaryMorphology() {
    }

    /**
     * skimage 0.19 {@code ball(radius)}: {@code n = int(2r + 1)} grid points from -r to r per axis (np.mgrid with
     * a complex step), a voxel is in when {@code x^2 + y^2 + z^2 <= r^2}. Returned as the list of (dz, dy, dx)
     * offsets from scipy's origin {@code n / 2}.
     */
    static int[][] ballOffsets(double radius) {
        int n = (int) (2 * radius + 1);
        double step = n > 1 ? (radius - (-radius)) / (n - 1) : 0;
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = i * step + (-radius);
        }
        int center = n / 2;
        int count = 0;
        int[][] tmp = new int[n * n * n][];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (c[x] * c[x] + c[y] * c[y] + c[z] * c[z] <= radius * radius) {
                        tmp[count++] = new int[] {z - center, y - center, x - center};
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(tmp, count);
    }

    static boolean[] apply(Operation op, boolean[] mask, int[] shape, int[][] offsets) {
        return switch (op) {
            case DILATION -> dilate(mask, shape, offsets);
            case EROSION -> erode(mask, shape, offsets);
            case CLOSING -> erode(dilate(mask, shape, offsets), shape, offsets);
            case OPENING -> dilate(erode(mask, shape, offsets), shape, offsets);
        };
    }

    /**
     * scipy binary_erosion(border_value=True): set where all of {@code x[p + o]} are set, outside the volume
     * counting as set. Only set voxels (and all voxels when the footprint misses its own origin) need the scan.
     */
    static boolean[] erode(boolean[] mask, int[] shape, int[][] offsets) {
        int nz = shape[0];
        int ny = shape[1];
        int nx = shape[2];
        boolean originIn = containsOrigin(offsets);
        boolean[] out = new boolean[mask.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    if (!mask[i] && originIn) {
                        continue;
                    }
                    boolean all = true;
                    for (int[] o : offsets) {
                        int zz = z + o[0];
                        int yy = y + o[1];
                        int xx = x + o[2];
                        if (zz >= 0 && zz < nz && yy >= 0 && yy < ny && xx >= 0 && xx < nx
                                && !mask[(zz * ny + yy) * nx + xx]) {
                            all = false;
                            break;
                        }
                    }
                    out[i] = all;
                }
            }
        }
        return out;
    }

    /**
     * scipy binary_dilation(border_value=False): set where any of {@code x[p - o]} is set; computed by spreading
     * every set voxel {@code q} to {@code q + o}, the same set.
     */
    static boolean[] dilate(boolean[] mask, int[] shape, int[][] offsets) {
        int nz = shape[0];
        int ny = shape[1];
        int nx = shape[2];
        boolean[] out = new boolean[mask.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    if (!mask[(z * ny + y) * nx + x]) {
                        continue;
                    }
                    for (int[] o : offsets) {
                        int zz = z + o[0];
                        int yy = y + o[1];
                        int xx = x + o[2];
                        if (zz >= 0 && zz < nz && yy >= 0 && yy < ny && xx >= 0 && xx < nx) {
                            out[(zz * ny + yy) * nx + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean containsOrigin(int[][] offsets) {
        for (int[] o : offsets) {
            if (o[0] == 0 && o[1] == 0 && o[2] == 0) {
                return true;
            }
        }
        return false;
    }
}
