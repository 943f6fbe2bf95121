package org.nnunet.inference;

import java.util.List;

/**
 * Prediction with several trained folds, v1.7.1 {@code predict.predict_cases}: every fold's sliding-window softmax
 * of the preprocessed case, averaged.
 */
public final class FoldEnsemblePredictor {
    private final List<SlidingWindowPredictor> folds;

    public FoldEnsemblePredictor(List<SlidingWindowPredictor> folds) {
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("no fold to predict with");
        }
        this.folds = List.copyOf(folds);
    }

    public SoftmaxVolume predict(float[][] channels, int[] shape) {
        SoftmaxMean mean = new SoftmaxMean();
        for (SlidingWindowPredictor f : folds) {
            mean.add(f.predict(channels, shape));
        }
        return mean.mean();
    }
}
