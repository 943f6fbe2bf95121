package org.nnunet.training;

/**
 * nnUNetTrainer.run_online_evaluation / finish_online_evaluation: over the validation batches of an epoch, sum per
 * foreground class the true positives, false positives and false negatives of the argmax of the full-resolution
 * output against the target; the epoch's "global Dice" per class is {@code 2 tp / (2 tp + fp + fn)} and the
 * evaluation metric is its mean over classes.
 */
public final class OnlineEvaluation {
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;

    public OnlineEvaluation(int numClasses) {
        tp = new long[numClasses];
        fp = new long[numClasses];
        fn = new long[numClasses];
    }

    /**
     * @param logits [N, C, spatial...] C-order full-resolution network output
     * @param target [N, spatial...] labels (-1 already mapped to 0)
     */
    public void add(float[] logits, float[] target, int batch) {
        int classes = tp.length;
        int voxels = target.length / batch;
        for (int b = 0; b < batch; b++) {
            int base = b * classes * voxels;
            for (int v = 0; v < voxels; v++) {
                int arg = 0;
                float best = logits[base + v];
                for (int c = 1; c < classes; c++) {
                    float x = logits[base + c * voxels + v];
                    if (x > best) {
                        best = x;
                        arg = c;
                    }
                }
                int truth = (int) target[b * voxels + v];
                if (arg == truth) {
                    tp[arg]++;
                } else {
                    fp[arg]++;
                    fn[truth]++;
                }
            }
        }
    }

    /** Global Dice per foreground class (class 1 first). A class absent from prediction and target scores 0/0: NaN. */
    public double[] globalDicePerClass() {
        double[] dice = new double[tp.length - 1];
        for (int c = 1; c < tp.length; c++) {
            dice[c - 1] = 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c]);
        }
        return dice;
    }

    /** The epoch's evaluation metric: mean of the global Dice over foreground classes (NaN classes ignored). */
    public double meanForegroundDice() {
        double sum = 0;
        int n = 0;
        for (double d : globalDicePerClass()) {
            if (!Double.isNaN(d)) {
                sum += d;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
