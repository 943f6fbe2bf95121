package org.nnunet.evaluation;

/**
 * Voxel counts of one binary comparison, v1.7.1 {@code evaluation/metrics.py ConfusionMatrix}: test = prediction.
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {

    /** Counts for label {@code label}: test voxels {@code test == label} against {@code reference == label}. */
    public static ConfusionMatrix of(int[] test, int[] reference, int label) {
        if (test.length != reference.length) {
            throw new IllegalArgumentException("shape mismatch: " + test.length + " and " + reference.length
                    + " voxels");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < test.length; i++) {
            boolean t = test[i] == label;
            boolean r = reference[i] == label;
            if (t && r) {
                tp++;
            } else if (t) {
                fp++;
            } else if (r) {
                fn++;
            }
        }
        return new ConfusionMatrix(tp, fp, test.length - tp - fp - fn, fn);
    }

    public long size() {
        return tp + fp + tn + fn;
    }

    public boolean testEmpty() {
        return tp + fp == 0;
    }

    public boolean testFull() {
        return tp + fp == size();
    }

    public boolean referenceEmpty() {
        return tp + fn == 0;
    }

    public boolean referenceFull() {
        return tp + fn == size();
    }
}
