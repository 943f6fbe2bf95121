package org.nnunet.inference;

/**
 * Brings class probabilities back to the original voxel grid, v1.7.1 {@code save_segmentation_nifti_from_softmax}:
 * {@code resample_data_or_seg(softmax, size_after_cropping, is_seg=False, order=1, order_z=0)}, separate z decided
 * from {@code original_spacing}, else {@code spacing_after_resampling}.
 */
public interface SoftmaxResampler {

    SoftmaxVolume resample(SoftmaxVolume softmax, int[] newShape, double[] originalSpacing,
                           double[] spacingAfterResampling);
}
