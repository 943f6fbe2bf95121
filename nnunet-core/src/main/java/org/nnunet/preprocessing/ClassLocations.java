package org.nnunet.preprocessing;

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
        NumpyRandomState rnd = new NumpyRandomState(SEED);
        Map<Integer, int[][]> out = new LinkedHashMap<>();
        for (int c : allClasses) {
            int n = 0;
            for (float v : seg) {
                if (v == c) {
                    n++;
                }
            }
            if (n == 0) {
                out.put(c, new int[0][]);
                continue;
            }
            int[] where = new int[n];
            int k = 0;
            for (int i = 0; i < seg.length; i++) {
                if (seg[i] == c) {
                    where[k++] = i;
                }
            }
            int target = Math.max(Math.min(NUM_SAMPLES, n), (int) Math.ceil(n * MIN_PERCENT_COVERAGE));
            int[] picked = rnd.choiceWithoutReplacement(n, target);
            int[][] locs = new int[target][];
            int plane = shape[1] * shape[2];
            for (int i = 0; i < target; i++) {
                int idx = where[picked[i]];
                locs[i] = new int[] {idx / plane, (idx % plane) / shape[2], idx % shape[2]};
            }
            out.put(c, locs);
        }
        return out;
    }
}
