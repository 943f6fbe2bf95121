package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * nnU-Net v1 custom_transforms.MaskTransform(use_mask_for_norm, mask_idx_in_seg=0, set_outside_to=0): for channels
 * normalised inside the nonzero mask, voxels whose seg (channel 0) is negative are set to 0 again after augmentation.
 */
public final class MaskTransform implements SampleTransform {

    private final boolean[] maskUsedForNormalization;

    public MaskTransform(boolean[] maskUsedForNormalization) {
        this.maskUsedForNormalization = maskUsedForNormalization.clone();
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        float[] mask = sample.seg()[0];
        float[][] data = sample.data();
        for (int c = 0; c < data.length; c++) {
            if (c < maskUsedForNormalization.length && maskUsedForNormalization[c]) {
                for (int i = 0; i < mask.length; i++) {
                    if (mask[i] < 0) {
                        data[c][i] = 0f;
                    }
                }
            }
        }
        return sample;
    }
}
