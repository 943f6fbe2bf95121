package org.nnunet.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.NoGrad;

import java.util.List;

/**
 * One iteration of nnUNetTrainerV2.run_iteration: zero gradients, forward with deep supervision, loss against the
 * downsampled targets, backward, clip the gradient norm to 12, SGD step. Everything the iteration creates lives in
 * a sub-manager of the model's manager that is closed at the end, so memory stays flat over iterations.
 */
public final class TrainingStep {

    private final GenericUNet network;
    private final DeepSupervisionLoss loss;
    private final NesterovSgd optimizer;
    private final NDManager modelManager;
    private final int[][] poolKernels;
    private final PairList<String, Parameter> parameters;
    private double lastGradientNorm = Double.NaN;

    public TrainingStep(GenericUNet network, DeepSupervisionLoss loss, NesterovSgd optimizer, NDManager modelManager) {
        if (!network.deepSupervision()) {
            throw new IllegalArgumentException("training runs the network with deep supervision on");
        }
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.modelManager = modelManager;
        this.poolKernels = network.architecture().poolKernels();
        this.parameters = network.getParameters();
    }

    /**
     * Trains on one batch.
     *
     * @param data {@code [N, C, spatial...]} float
     * @param seg  {@code [N, 1, spatial...]} labels at full resolution
     * @return the loss before the update
     */
    public float train(NDArray data, NDArray seg) {
        try (NDManager iteration = modelManager.newSubManager()) {
            data.tempAttach(iteration);
            seg.tempAttach(iteration);
            NesterovSgd.zeroGradients(parameters);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray l = lossOf(data, seg, iteration, true);
                value = l.getFloat();
                collector.backward(l);
            }
            lastGradientNorm = NesterovSgd.clipGradNorm(parameters, NesterovSgd.CLIP_NORM);
            optimizer.step(parameters);
            return value;
        }
    }

    /** Total gradient norm of the last {@link #train} call, before clipping. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** The same loss without gradients or update (v1's validation iterations, {@code do_backprop=False}). */
    public float validationLoss(NDArray data, NDArray seg) {
        try (NDManager iteration = modelManager.newSubManager()) {
            data.tempAttach(iteration);
            seg.tempAttach(iteration);
            return NoGrad.run(() -> lossOf(data, seg, iteration, false).getFloat());
        }
    }

    private NDArray lossOf(NDArray data, NDArray seg, NDManager iteration, boolean training) {
        NDList outputs = network.forward(new ParameterStore(iteration, false), new NDList(data), training);
        List<NDArray> targets = DeepSupervisionTargets.downsample(seg, poolKernels, iteration);
        return loss.compute(outputs, targets);
    }
}
