package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * nnU-Net v1's {@code DC_and_CE_loss({'batch_dice': ..., 'smooth': 1e-5, 'do_bg': False}, {})}
 * (training/loss_functions/dice_loss.py): {@code ce + dc}, where ce is the mean voxel-wise cross-entropy of the
 * logits and dc is the NEGATIVE soft Dice of {@code SoftDiceLoss(apply_nonlin=softmax)}:
 * per class (and per sample unless batch Dice) {@code (2 tp + smooth) / (2 tp + fp + fn + smooth + 1e-8)} on the
 * softmax probabilities, background dropped, then the mean. The loss is therefore negative once Dice dominates.
 * <p>
 * Inputs: logits {@code [N, C, (D,) H, W]}, target label map {@code [N, 1, (D,) H, W]} (any numeric type, values
 * 0..C-1). Cross-entropy is log-softmax times one-hot (DJL's SoftmaxCrossEntropyLoss is wrong on 5-D input unless
 * configured just so).
 */
public final class DiceCELoss {

    public static final double SMOOTH = 1e-5;
    private static final double DENOMINATOR_EPS = 1e-8;

    private final boolean batchDice;

    public DiceCELoss(boolean batchDice) {
        this.batchDice = batchDice;
    }

    /**
     * v1's batch-Dice rule (run/default_configuration.py): batch Dice for {@code 2d} and for any configuration of a
     * plan with more than one stage, except {@code 3d_lowres}, which always uses per-sample Dice.
     *
     * @param configuration {@code 2d}, {@code 3d_fullres}, {@code 3d_lowres} or {@code 3d_cascade_fullres}
     * @param numStages     stages in the 3d plan ({@code plans_per_stage}); 2 when a low-res stage exists
     */
    public static boolean useBatchDice(String configuration, int numStages) {
        switch (configuration) {
            case "2d", "3d_fullres", "3d_lowres", "3d_cascade_fullres" -> { }
            default -> throw new IllegalArgumentException("unknown configuration '" + configuration
                    + "': expected 2d, 3d_fullres, 3d_lowres or 3d_cascade_fullres");
        }
        return (configuration.equals("2d") || numStages > 1) && !configuration.equals("3d_lowres");
    }

    public boolean batchDice() {
        return batchDice;
    }

    /** The scalar loss {@code ce - softDice}, differentiable with respect to {@code logits}. */
    public NDArray compute(NDArray logits, NDArray target) {
        Shape s = logits.getShape();
        int classes = (int) s.get(1);
        if (target.getShape().dimension() != s.dimension() || target.getShape().get(1) != 1
                || target.getShape().get(0) != s.get(0)) {
            throw new IllegalArgumentException("target " + target.getShape() + " does not fit logits " + s
                    + ": expected [N, 1, spatial...]");
        }
        NDArray oneHot = oneHot(target, classes, logits.getManager());
        NDArray logP = logits.logSoftmax(1);
        NDArray ce = logP.mul(oneHot).sum(new int[] {1}).mean().neg();
        return ce.sub(softDice(logP.exp(), oneHot));
    }

    /** Mean soft Dice over foreground classes (and samples unless batch Dice) of probabilities vs one-hot. */
    NDArray softDice(NDArray probabilities, NDArray oneHot) {
        Shape s = probabilities.getShape();
        long n = s.get(0);
        long c = s.get(1);
        NDArray p = probabilities.reshape(n, c, -1);
        NDArray y = oneHot.reshape(n, c, -1);
        NDArray tp = p.mul(y).sum(new int[] {2});
        NDArray sumP = p.sum(new int[] {2});
        NDArray sumY = y.sum(new int[] {2});
        if (batchDice) {
            tp = tp.sum(new int[] {0}, true);
            sumP = sumP.sum(new int[] {0}, true);
            sumY = sumY.sum(new int[] {0}, true);
        }
        // fp = sum(p * (1 - y)) = sum(p) - tp; fn = sum((1 - p) * y) = sum(y) - tp
        NDArray fp = sumP.sub(tp);
        NDArray fn = sumY.sub(tp);
        // 2 * tp as tp + tp: DJL's mul(Number) puts the scalar in a Java buffer that can be freed before backward
        // reads it (autograd keeps the scalar for the gradient); add(Number) keeps no such reference
        NDArray twoTp = tp.add(tp);
        NDArray nominator = twoTp.add((float) SMOOTH);
        NDArray denominator = twoTp.add(fp).add(fn).add((float) SMOOTH).add((float) DENOMINATOR_EPS);
        NDArray dc = nominator.div(denominator);
        return dc.get(":, 1:").mean();
    }

    static NDArray oneHot(NDArray target, int classes, NDManager manager) {
        long[] bshape = new long[target.getShape().dimension()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = classes;
        NDArray labels = manager.arange(0f, classes, 1f, DataType.FLOAT32, target.getDevice()).reshape(new Shape(bshape));
        return target.toType(DataType.FLOAT32, false).eq(labels).toType(DataType.FLOAT32, false);
    }
}
