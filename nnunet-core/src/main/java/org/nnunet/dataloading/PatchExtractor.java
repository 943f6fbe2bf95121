package org.nnunet.dataloading;

import java.nio.FloatBuffer;

/**
 * Copies a box of a memory-mapped (c, spatial...) array, padding outside the array with a constant: nnU-Net pads
 * data with 0 and the segmentation with -1 (DataLoader3D/2D, {@code pad_mode="constant"}).
 */
final class PatchExtractor {
    private PatchExtractor() {}

    /**
     * Box {@code [lb, lb + size)} of channel {@code channel} of a 3D array of spatial shape {@code shape}, or of slice
     * {@code slice} when {@code size} has two entries (a 2D patch from a 3D case).
     */
    static float[] extract(FloatBuffer array, int channel, int[] shape, int slice, int[] lb, int[] size, float padValue) {
        int sz = size.length == 3 ? size[0] : 1;
        int sy = size[size.length - 2];
        int sx = size[size.length - 1];
        int z0 = size.length == 3 ? lb[0] : slice;
        int y0 = lb[lb.length - 2];
        int x0 = lb[lb.length - 1];
        float[] out = new float[sz * sy * sx];
        java.util.Arrays.fill(out, padValue);
        long channelOffset = (long) channel * shape[0] * shape[1] * shape[2];
        int xFrom = Math.max(0, x0);
        int xTo = Math.min(shape[2], x0 + sx);
        if (xTo <= xFrom) {
            return out;
        }
        for (int z = 0; z < sz; z++) {
            int iz = z0 + z;
            if (iz < 0 || iz >= shape[0]) {
                continue;
            }
            for (int y = 0; y < sy; y++) {
                int iy = y0 + y;
                if (iy < 0 || iy >= shape[1]) {
                    continue;
                }
                int src = (int) (channelOffset + ((long) iz * shape[1] + iy) * shape[2] + xFrom);
                array.get(src, out, (z * sy + y) * sx + (xFrom - x0), xTo - xFrom);
            }
        }
        return out;
    }
}
