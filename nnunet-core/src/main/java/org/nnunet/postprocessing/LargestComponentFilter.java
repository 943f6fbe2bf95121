package org.nnunet.postprocessing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * v1.7.1 {@code remove_all_but_the_largest_connected_component}: per region, label the mask with 6-connectivity and
 * set to 0 every component whose size (voxels x voxel volume) differs from the largest one, so components tying for
 * largest are all kept. With {@code minimumValidObjectSize} only removed components smaller than the region's entry
 * are removed. Regions are processed in order, each on the result of the previous ones.
 */
public final class LargestComponentFilter {

    /** Output labels, and per region the largest removed and the kept size (null when nothing). */
    public record Result(int[] labels, Map<Region, Double> largestRemoved, Map<Region, Double> keptSize) {}

    private LargestComponentFilter() {}

    public static Result apply(int[] labels, int[] shape, List<Region> regions, double volumePerVoxel,
                               Map<Region, Double> minimumValidObjectSize) {
        int[] out = labels.clone();
        Map<Region, Double> largestRemoved = new LinkedHashMap<>();
        Map<Region, Double> keptSize = new LinkedHashMap<>();
        for (Region r : regions) {
            boolean[] mask = new boolean[out.length];
            for (int i = 0; i < out.length; i++) {
                mask[i] = r.contains(out[i]);
            }
            ConnectedComponents.Result cc = ConnectedComponents.label(mask, shape);
            largestRemoved.put(r, null);
            keptSize.put(r, null);
            if (cc.count() == 0) {
                continue;
            }
            double[] size = new double[cc.count()];
            double max = 0;
            for (int o = 0; o < cc.count(); o++) {
                size[o] = cc.sizes()[o] * volumePerVoxel;
                max = Math.max(max, size[o]);
            }
            keptSize.put(r, max);
            boolean[] remove = new boolean[cc.count() + 1];
            Double removedMax = null;
            for (int o = 0; o < cc.count(); o++) {
                if (size[o] == max) {
                    continue;
                }
                boolean rm = minimumValidObjectSize == null || size[o] < minimumSize(minimumValidObjectSize, r);
                if (rm) {
                    remove[o + 1] = true;
                    removedMax = removedMax == null ? size[o] : Math.max(removedMax, size[o]);
                }
            }
            largestRemoved.put(r, removedMax);
            int[] map = cc.labelMap();
            for (int i = 0; i < out.length; i++) {
                if (remove[map[i]]) {
                    out[i] = 0;
                }
            }
        }
        return new Result(out, largestRemoved, keptSize);
    }

    private static double minimumSize(Map<Region, Double> sizes, Region r) {
        Double v = sizes.get(r);
        if (v == null) {
            throw new IllegalArgumentException("min_valid_object_sizes has no entry for region " + r.classes());
        }
        return v;
    }
}
