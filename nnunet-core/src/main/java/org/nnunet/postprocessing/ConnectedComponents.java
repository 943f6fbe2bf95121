package org.nnunet.postprocessing;

import java.util.Arrays;

/**
 * Connected-component labelling with face connectivity (6-neighbourhood in 3D), scipy {@code ndimage.label} with
 * its default structure as v1 uses it. Components are numbered 1..n in raster order of their first voxel.
 */
public final class ConnectedComponents {

    /** @param labelMap component id per voxel, 0 = background; {@code sizes[i]} voxels in component i + 1 */
    public record Result(int[] labelMap, int count, long[] sizes) {}

    private ConnectedComponents() {}

    public static Result label(boolean[] mask, int[] shape) {
        int nz = shape[0];
        int ny = shape[1];
        int nx = shape[2];
        int n = mask.length;
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = -1;
        }
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    if (!mask[i]) {
                        continue;
                    }
                    parent[i] = i;
                    if (x > 0 && mask[i - 1]) {
                        union(parent, i, i - 1);
                    }
                    if (y > 0 && mask[i - nx]) {
                        union(parent, i, i - nx);
                    }
                    if (z > 0 && mask[i - nx * ny]) {
                        union(parent, i, i - nx * ny);
                    }
                }
            }
        }
        int[] map = new int[n];
        int[] idOfRoot = new int[n];
        int count = 0;
        long[] sizes = new long[16];
        for (int i = 0; i < n; i++) {
            if (!mask[i]) {
                continue;
            }
            int r = find(parent, i);
            if (idOfRoot[r] == 0) {
                idOfRoot[r] = ++count;
                if (count > sizes.length) {
                    sizes = Arrays.copyOf(sizes, sizes.length * 2);
                }
            }
            map[i] = idOfRoot[r];
            sizes[map[i] - 1]++;
        }
        return new Result(map, count, Arrays.copyOf(sizes, count));
    }

    private static int find(int[] parent, int i) {
        int r = i;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[i] != r) {
            int next = parent[i];
            parent[i] = r;
            i = next;
        }
        return r;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            // the smaller index stays root so roots are first-in-raster-order voxels
            if (ra < rb) {
                parent[rb] = ra;
            } else {
                parent[ra] = rb;
            }
        }
    }
}
