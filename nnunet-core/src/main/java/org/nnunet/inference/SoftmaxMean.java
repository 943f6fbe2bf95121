package org.nnunet.inference;

import java.util.Arrays;

/**
 * Running mean of softmax arrays of equal shape (v1 {@code np.mean(np.vstack(softmax), 0)} over folds in
 * {@code predict_cases}, over models in {@code ensemble_predictions.merge_files}), holding one sum in memory.
 */
public final class SoftmaxMean {
    private float[] sum;
    private int classes;
    private int[] shape;
    private int count;

    public void add(SoftmaxVolume s) {
        if (sum == null) {
            sum = s.data().clone();
            classes = s.numClasses();
            shape = s.shape();
        } else {
            if (s.numClasses() != classes || !Arrays.equals(s.shape(), shape)) {
                throw new IllegalArgumentException("cannot average softmax " + s + " with " + classes
                        + " classes x " + Arrays.toString(shape));
            }
            float[] d = s.data();
            for (int i = 0; i < d.length; i++) {
                sum[i] += d[i];
            }
        }
        count++;
    }

    public int count() {
        return count;
    }

    public SoftmaxVolume mean() {
        if (count == 0) {
            throw new IllegalStateException("no softmax added");
        }
        float[] m = new float[sum.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = sum[i] / count;
        }
        return new SoftmaxVolume(classes, shape, m);
    }
}
