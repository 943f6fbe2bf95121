package org.nnunet.inference;

import java.util.Arrays;

/**
 * Running mean of softmax arrays of equal shape (v1 {@code np.mean(np.vstack(softmax), 0)} over folds in
 * {@code predict_cases}, over models in {@code ensemble_predictions.merge_files}), holding one sum in memory.
 *
 * <p>To need no array beyond its inputs, the first softmax added becomes the sum (its array is overwritten: add only
 * softmax you no longer need) and {@link #mean()} divides that sum in place, once.
 */
public final class SoftmaxMean {
    private float[] sum;
    private int classes;
    private int[] shape;
    private int count;
    private SoftmaxVolume mean;

    public void add(SoftmaxVolume s) {
        if (mean != null) {
            throw new IllegalStateException("the mean was already taken");
        }
        if (sum == null) {
            sum = s.data();
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
        if (mean == null) {
            if (count > 1) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] /= count;
                }
            }
            mean = new SoftmaxVolume(classes, shape, sum);
        }
        return mean;
    }
}
