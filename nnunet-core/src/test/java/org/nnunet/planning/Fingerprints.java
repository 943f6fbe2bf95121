package org.nnunet.planning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic fingerprints for planner tests: nnU-Net's planner only reads sizes, spacings, classes, modalities. */
final class Fingerprints {
    private Fingerprints() {}

    /** {@code n} identical cases (size after cropping = {@code size}), no cropping reduction. */
    static DatasetFingerprint allAlike(double[] spacing, int[] size, int n, int numModalities, int numClasses) {
        List<double[]> spacings = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            spacings.add(spacing.clone());
            sizes.add(size.clone());
        }
        return of(spacings, sizes, numModalities, numClasses, "MRI");
    }

    static DatasetFingerprint of(List<double[]> spacings, List<int[]> sizes, int numModalities, int numClasses,
            String modality) {
        List<String> ids = new ArrayList<>();
        Map<String, Double> reductions = new LinkedHashMap<>();
        Map<String, DatasetFingerprint.SegmentationProps> seg = new LinkedHashMap<>();
        for (int i = 0; i < spacings.size(); i++) {
            String id = String.format("case_%03d", i);
            ids.add(id);
            reductions.put(id, 1.0);
            seg.put(id, new DatasetFingerprint.SegmentationProps(new double[] {0, 1}));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int[] classes = new int[numClasses - 1];
        for (int c = 0; c < numClasses; c++) {
            labels.put(Integer.toString(c), c == 0 ? "background" : "class" + c);
            if (c > 0) {
                classes[c - 1] = c;
            }
        }
        Map<Integer, String> mods = new LinkedHashMap<>();
        for (int m = 0; m < numModalities; m++) {
            mods.put(m, modality);
        }
        return new DatasetFingerprint(ids, sizes, spacings, classes, labels, mods, null, reductions, seg);
    }
}
