package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * v1's {@code MultipleOutputLoss2} with nnUNetTrainerV2's weights: output i (0 = full resolution) weighs
 * {@code 1 / 2^i}, the lowest-resolution output weighs 0, and the weights are normalised to sum 1
 * (3 pools: [0.667, 0.333, 0]; 5 pools: [0.533, 0.267, 0.133, 0.067, 0]). Outputs with weight 0 are not evaluated.
 */
public final class DeepSupervisionLoss {

    private final DiceCELoss loss;
    private final double[] weights;

    public DeepSupervisionLoss(DiceCELoss loss, int numOutputs) {
        this.loss = loss;
        this.weights = weights(numOutputs);
    }

    /** nnUNetTrainerV2.initialize: one weight per network output ({@code len(net_num_pool_op_kernel_sizes)}). */
    public static double[] weights(int numOutputs) {
        if (numOutputs < 2) {
            throw new IllegalArgumentException("deep supervision needs >= 2 outputs (pools), got " + numOutputs
                    + ": v1 would zero the only weight and divide by 0");
        }
        double[] w = new double[numOutputs];
        double sum = 0;
        for (int i = 0; i < numOutputs - 1; i++) {
            w[i] = 1.0 / (1L << i);
            sum += w[i];
        }
        for (int i = 0; i < numOutputs; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The per-output loss. */
    public DiceCELoss outputLoss() {
        return loss;
    }

    public double[] weights() {
        return weights.clone();
    }

    /** Weighted sum of the loss of each output against the target at its resolution. */
    public NDArray compute(NDList outputs, List<NDArray> targets) {
        if (outputs.size() != weights.length || targets.size() != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " outputs and targets, got "
                    + outputs.size() + " and " + targets.size());
        }
        NDArray total = weighted(loss.compute(outputs.get(0), targets.get(0)), weights[0]);
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] != 0) {
                total = total.add(weighted(loss.compute(outputs.get(i), targets.get(i)), weights[i]));
            }
        }
        return total;
    }

    /**
     * {@code l * w} with the scalar made by libtorch ({@code full}): DJL's {@code mul(Number)} wraps a Java buffer
     * that is released right after the op although autograd keeps the scalar for backward, so the gradient would
     * read freed memory (seen here as wrong gradients / NaN under GC).
     */
    private static NDArray weighted(NDArray l, double w) {
        NDArray scalar = l.getManager().full(new Shape(), (float) w, l.getDataType(), l.getDevice());
        return l.mul(scalar);
    }
}
