package org.nnunet.dataloading;

/**
 * nnU-Net v1's deterministic foreground oversampling (DataLoader3D/2D.get_do_oversample): with
 * {@code oversample_foreground_percent = 0.33}, sample {@code j} of a batch is forced to contain foreground iff
 * {@code j >= round(batch_size * (1 - 0.33))}; Python's round (half to even) on the same double.
 */
public final class ForegroundOversampling {
    public static final double NNUNET_V2_PERCENT = 0.33;

    private ForegroundOversampling() {}

    public static boolean forced(int sampleIndex, int batchSize, double percent) {
        return sampleIndex >= Math.rint(batchSize * (1 - percent));
    }
}
