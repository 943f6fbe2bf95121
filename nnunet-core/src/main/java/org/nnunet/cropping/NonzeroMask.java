package org.nnunet.cropping;

import java.util.List;

/**
 * The region nnU-Net crops to ({@code cropping.create_nonzero_mask}): voxels that are nonzero in any channel, with
 * enclosed holes filled like {@code scipy.ndimage.binary_fill_holes} (default structure, i.e. 6-connectivity).
 */
public final class NonzeroMask {
    private NonzeroMask() {}

    /** OR over channels of {@code data != 0}, then 3D hole filling. Channels are (z, y, x) C-order arrays. */
    public static boolean[] create(List<float[]> channels, int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = new boolean[n];
        for (float[] c : channels) {
            if (c.length != n) {
                throw new IllegalArgumentException("channel has " + c.length + " voxels, expected " + n);
            }
            for (int i = 0; i < n; i++) {
                if (c[i] != 0f) {
                    mask[i] = true;
                }
            }
        }
        fillHoles(mask, shape);
        return mask;
    }

    /**
     * Fills background regions that do not touch the array border. scipy dilates the complement from a border of
     * ones through 6-neighbours; we flood the same background from the border voxels, then set the rest to true.
     */
    static void fillHoles(boolean[] mask, int[] shape) {
        int nz = shape[0], ny = shape[1], nx = shape[2];
        int n = nz * ny * nx;
        boolean[] outside = new boolean[n];
        IntQueue queue = new IntQueue();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    boolean border = z == 0 || y == 0 || x == 0 || z == nz - 1 || y == ny - 1 || x == nx - 1;
                    if (!border) {
                        x = nx - 2; // jump to the last column of this row
                        continue;
                    }
                    visit(mask, outside, queue, (z * ny + y) * nx + x);
                }
            }
        }
        int plane = ny * nx;
        while (!queue.isEmpty()) {
            int i = queue.poll();
            int z = i / plane, y = (i / nx) % ny, x = i % nx;
            if (z > 0) visit(mask, outside, queue, i - plane);
            if (z < nz - 1) visit(mask, outside, queue, i + plane);
            if (y > 0) visit(mask, outside, queue, i - nx);
            if (y < ny - 1) visit(mask, outside, queue, i + nx);
            if (x > 0) visit(mask, outside, queue, i - 1);
            if (x < nx - 1) visit(mask, outside, queue, i + 1);
        }
        for (int i = 0; i < n; i++) {
            mask[i] = !outside[i];
        }
    }

    private static void visit(boolean[] mask, boolean[] outside, IntQueue queue, int j) {
        if (!mask[j] && !outside[j]) {
            outside[j] = true;
            queue.add(j);
        }
    }

    /** Growable ring buffer: the flood front is a surface, far smaller than the volume. */
    private static final class IntQueue {
        private int[] buf = new int[1 << 10];
        private int head, size;

        void add(int v) {
            if (size == buf.length) {
                int[] bigger = new int[buf.length * 2];
                for (int k = 0; k < size; k++) {
                    bigger[k] = buf[(head + k) % buf.length];
                }
                buf = bigger;
                head = 0;
            }
            buf[(head + size) % buf.length] = v;
            size++;
        }

        int poll() {
            int v = buf[head];
            head = (head + 1) % buf.length;
            size--;
            return v;
        }

        boolean isEmpty() {
            return size == 0;
        }
    }

    /** Smallest box holding every true voxel, upper bound exclusive; {@code null} when the mask is empty. */
    public static BoundingBox boundingBox(boolean[] mask, int[] shape) {
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        int i = 0;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++, i++) {
                    if (mask[i]) {
                        lo[0] = Math.min(lo[0], z);
                        lo[1] = Math.min(lo[1], y);
                        lo[2] = Math.min(lo[2], x);
                        hi[0] = Math.max(hi[0], z);
                        hi[1] = Math.max(hi[1], y);
                        hi[2] = Math.max(hi[2], x);
                    }
                }
            }
        }
        if (hi[0] < 0) {
            return null;
        }
        return new BoundingBox(lo, new int[] {hi[0] + 1, hi[1] + 1, hi[2] + 1});
    }
}
