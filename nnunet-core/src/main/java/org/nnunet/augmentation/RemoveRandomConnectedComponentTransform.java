package org.nnunet.augmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * v1 pyramid_augmentations.RemoveRandomConnectedComponentFromOneHotEncodingTransform as the cascade uses it
 * (p_per_sample 0.2, dont_do_if_covers_more_than_X_percent 0.15, fill_with_other_class_p 0, p_per_label 1): with
 * probability {@code pPerSample}, each one-hot channel of the previous stage (last {@code numChannels} data channels)
 * loses one random connected component (skimage {@code label}: full 26-connectivity) among those smaller than
 * {@code maxSizeFraction} of the patch; with probability {@code fillWithOtherClassP} the removed voxels go to a
 * random other channel.
 */
public final class RemoveRandomConnectedComponentTransform implements SampleTransform {

    private final int numChannels;
    private final double pPerSample;
    private final double fillWithOtherClassP;
    private final double maxSizeFraction;
    private final double pPerLabel;

    public RemoveRandomConnectedComponentTransform(int numChannels, double pPerSample, double fillWithOtherClassP,
                                                   double maxSizeFraction, double pPerLabel) {
        this.numChannels = numChannels;
        this.pPerSample = pPerSample;
        this.fillWithOtherClassP = fillWithOtherClassP;
        this.maxSizeFraction = maxSizeFraction;
        this.pPerLabel = pPerLabel;
    }

    /** nnUNetTrainerV2CascadeFullRes.setup_DA_params values. */
    public static RemoveRandomConnectedComponentTransform cascadeDefaults(int numChannels) {
        return new RemoveRandomConnectedComponentTransform(numChannels, 0.2, 0.0, 0.15, 1);
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (sample.dimension() != 3) {
            throw new IllegalArgumentException("the cascade augmentation needs 3D samples (2D has no cascade)");
        }
        if (rng.nextDouble() >= pPerSample) {
            return sample;
        }
        float[][] data = sample.data();
        int first = data.length - numChannels;
        long voxels = sample.voxels();
        for (int c = first; c < data.length; c++) {
            if (rng.nextDouble() >= pPerLabel) {
                continue;
            }
            int[] labels = new int[data[c].length];
            long[] sizes = label26(data[c], sample.shape(), labels);
            List<Integer> candidates = new ArrayList<>();
            for (int id = 1; id <= sizes.length; id++) {
                if (sizes[id - 1] < voxels * maxSizeFraction) {
                    candidates.add(id);
                }
            }
            if (candidates.isEmpty()) {
                continue;
            }
            int removed = candidates.get(rng.nextInt(candidates.size()));
            for (int v = 0; v < labels.length; v++) {
                if (labels[v] == removed) {
                    data[c][v] = 0f;
                }
            }
            if (rng.nextDouble() < fillWithOtherClassP && numChannels > 1) {
                int other = first + rng.nextInt(numChannels - 1);
                if (other >= c) {
                    other++;
                }
                for (int v = 0; v < labels.length; v++) {
                    if (labels[v] == removed) {
                        data[other][v] = 1f;
                    }
                }
            }
        }
        return sample;
    }

    /**
     * skimage.measure.label(x) on a 3D array: nonzero voxels, connectivity 3 (the 26 neighbours), components
     * numbered 1..n in raster order of their first voxel. Returns the component sizes; fills {@code labels}.
     */
    static long[] label26(float[] mask, int[] shape, int[] labels) {
        int nz = shape[0];
        int ny = shape[1];
        int nx = shape[2];
        int n = mask.length;
        int[] parent = new int[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = (z * ny + y) * nx + x;
                    parent[i] = i;
                    if (mask[i] == 0) {
                        continue;
                    }
                    // the 13 neighbours already visited in raster order
                    for (int dz = -1; dz <= 0; dz++) {
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                if (dz == 0 && (dy > 0 || (dy == 0 && dx >= 0))) {
                                    continue;
                                }
                                int zz = z + dz;
                                int yy = y + dy;
                                int xx = x + dx;
                                if (zz < 0 || yy < 0 || yy >= ny || xx < 0 || xx >= nx) {
                                    continue;
                                }
                                int j = (zz * ny + yy) * nx + xx;
                                if (mask[j] != 0) {
                                    union(parent, i, j);
                                }
                            }
                        }
                    }
                }
            }
        }
        int[] idOfRoot = new int[n];
        long[] sizes = new long[16];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (mask[i] == 0) {
                labels[i] = 0;
                continue;
            }
            int r = find(parent, i);
            if (idOfRoot[r] == 0) {
                idOfRoot[r] = ++count;
                if (count > sizes.length) {
                    sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
                }
            }
            labels[i] = idOfRoot[r];
            sizes[labels[i] - 1]++;
        }
        return java.util.Arrays.copyOf(sizes, count);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
