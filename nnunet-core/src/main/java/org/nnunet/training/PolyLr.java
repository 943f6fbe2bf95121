package org.nnunet.training;

/**
 * nnUNetTrainerV2's learning-rate schedule, {@code poly_lr(epoch, max_epochs, initial_lr, 0.9)}
 * (training/learning_rate/poly_lr.py): {@code initial * (1 - epoch / max_epochs) ^ 0.9}, set at the start of every
 * epoch (also on resume with {@code -c}).
 */
public record PolyLr(double initialLr, int maxEpochs, double exponent) {

    public static final double INITIAL_LR = 0.01;
    public static final int MAX_EPOCHS = 1000;
    public static final double EXPONENT = 0.9;

    public PolyLr {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("max epochs must be >= 1, got " + maxEpochs);
        }
    }

    /** lr 0.01, 1000 epochs, exponent 0.9. */
    public static PolyLr nnUNetV2() {
        return new PolyLr(INITIAL_LR, MAX_EPOCHS, EXPONENT);
    }

    public double lr(int epoch) {
        return initialLr * Math.pow(1 - (double) epoch / maxEpochs, exponent);
    }
}
