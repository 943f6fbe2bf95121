package org.nnunet.preprocessing;

import org.nnunet.util.NumpyRandomState;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random voxel positions of each foreground class, which the training loader uses to force foreground patches:
 * nnU-Net v1.7.1 {@code GenericPreprocessor._run_internal}. Per class {@code c} of {@code all_classes} (in order)
 * take {@code min(10000, n)} of its {@code n} voxels, but at least {@code ceil(0.01 * n)}, with
 * {@code rndst.choice(n, k, replace=False)} from ONE {@code RandomState(1234)} per case, indexing
 * {@code np.argwhere(seg == c)} (C order). A class without voxels gets an empty list.
 */
public final class ClassLocations {
    public static final int NUM_SAMPLES = 10000;
    public static final double MIN_PERCENT_COVERAGE = 0.01;
    public static final long SEED = 1234;

    private ClassLocations() {}

    /** Class -> selected (z, y, x) positions, in selection order. */
    public static Map<Integer, int[][]> sample(float[] seg, int[] shape, int[] allClasses) {
        int[][] where = voxelsPerClass(seg, allClasses);
        NumpyRandomState rnd = new NumpyRandomState(SEED);
        Map<Integer, int[][]> out = new LinkedHashMap<>();
        int plane = shape[1] * shape[2];
        for (int k = 0; k < allClasses.length; k++) {
            int n = where[k].length;
            if (n == 0) {
                out.put(allClasses[k], new int[0][]);
                continue;
            }
            int target = Math.max(Math.min(NUM_SAMPLES, n), (int) Math.ceil(n * MIN_PERCENT_COVERAGE));
            int[] picked = rnd.choiceWithoutReplacement(n, target);
            int[][] locs = new int[target][];
            for (int i = 0; i < target; i++) {
                int idx = where[k][picked[i]];
                locs[i] = new int[] {idx / plane, (idx % plane) / shape[2], idx % shape[2]};
            }
            out.put(allClasses[k], locs);
        }
        return out;
    }

    /** {@code np.argwhere(seg == c)} as flat C-order indices, for every class in one pass over the volume. */
    private static int[][] voxelsPerClass(float[] seg, int[] allClasses) {
        Map<Float, Integer> slot = new HashMap<>();
        for (int k = 0; k < allClasses.length; k++) {
            slot.putIfAbsent((float) allClasses[k], k);
        }
        int[] counts = new int[allClasses.length];
        int[][] where = new int[allClasses.length][];
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                for (int k = 0; k < where.length; k++) {
                    where[k] = new int[counts[k]];
                }
                java.util.Arrays.fill(counts, 0);
            }
            float last = Float.NaN;
            int k = -1;
            for (int i = 0; i < seg.length; i++) {
                float v = seg[i];
                if (v != last) {
                    last = v;
                    Integer found = slot.get(v == 0f ? 0f : v);
                    k = found == null ? -1 : found;
                }
                if (k >= 0) {
                    if (pass == 1) {
                        where[k][counts[k]] = i;
                    }
                    counts[k]++;
                }
            }
        }
        // a class listed twice gets the same voxels both times, as argwhere would give
        for (int k = 0; k < allClasses.length; k++) {
            int first = slot.get((float) allClasses[k]);
            if (first != k) {
                where[k] = where[first];
            }
        }
        return where;
    }
}
