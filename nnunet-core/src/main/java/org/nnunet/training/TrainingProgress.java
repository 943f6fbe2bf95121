package org.nnunet.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What nnU-Net's checkpoint keeps besides weights and optimizer ({@code plot_stuff} and {@code best_stuff}): per
 * epoch the mean training loss, validation loss and evaluation metric (global Dice), the exponential moving average
 * of the metric (alpha 0.9, nnUNetTrainer.update_eval_criterion_MA) and the best average seen, which decides
 * {@code model_best}. {@code epoch} is the next epoch to train.
 */
public record TrainingProgress(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("train_losses") List<Double> trainLosses,
        @JsonProperty("val_losses") List<Double> valLosses,
        @JsonProperty("val_eval_metrics") List<Double> valEvalMetrics,
        @JsonProperty("val_eval_criterion_MA") Double evalCriterionMA,
        @JsonProperty("best_val_eval_criterion_MA") Double bestEvalCriterionMA,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("momentum") double momentum) {

    public static final double MA_ALPHA = 0.9;

    public static TrainingProgress start(double momentum) {
        return new TrainingProgress(0, List.of(), List.of(), List.of(), null, null, -1, momentum);
    }

    /** The progress after one more epoch; {@link #lastEpochWasBest()} tells whether it set a new best average. */
    public TrainingProgress afterEpoch(double trainLoss, double valLoss, double evalMetric, double momentumNow) {
        double ma = evalCriterionMA == null ? evalMetric : MA_ALPHA * evalCriterionMA + (1 - MA_ALPHA) * evalMetric;
        boolean better = bestEvalCriterionMA == null || ma > bestEvalCriterionMA;
        return new TrainingProgress(epoch + 1, append(trainLosses, trainLoss), append(valLosses, valLoss),
                append(valEvalMetrics, evalMetric), ma, better ? ma : bestEvalCriterionMA,
                better ? epoch : bestEpoch, momentumNow);
    }

    /** v1 manage_patience saves {@code model_best} when the moving average improved. */
    public boolean lastEpochWasBest() {
        return bestEpoch == epoch - 1;
    }

    private static List<Double> append(List<Double> list, double v) {
        List<Double> out = new ArrayList<>(list);
        out.add(v);
        return List.copyOf(out);
    }
}
