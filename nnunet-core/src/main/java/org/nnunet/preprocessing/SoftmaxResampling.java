package org.nnunet.preprocessing;

import org.nnunet.inference.SoftmaxResampler;
import org.nnunet.inference.SoftmaxVolume;

/**
 * The {@link SoftmaxResampler} of v1.7.1 {@code save_segmentation_nifti_from_softmax}: each class channel goes
 * through {@code resample_data_or_seg(is_seg=False, order=1, order_z=0)} (skimage linear resize, clipped per call),
 * separate z decided from {@code original_spacing}, else {@code spacing_after_resampling}, none on a tie
 * ({@link SeparateZ#decide}). Same shape: returned unchanged.
 */
public final class SoftmaxResampling implements SoftmaxResampler {

    @Override
    public SoftmaxVolume resample(SoftmaxVolume softmax, int[] newShape, double[] originalSpacing,
                                  double[] spacingAfterResampling) {
        int[] shape = softmax.shape();
        if (java.util.Arrays.equals(shape, newShape)) {
            return softmax;
        }
        SeparateZ sz = SeparateZ.decide(originalSpacing, spacingAfterResampling, null);
        int n = softmax.voxelCount();
        int m = newShape[0] * newShape[1] * newShape[2];
        float[] out = new float[softmax.numClasses() * m];
        for (int c = 0; c < softmax.numClasses(); c++) {
            float[] channel = java.util.Arrays.copyOfRange(softmax.data(), c * n, (c + 1) * n);
            float[] r = Resampler.resampleDataOrSeg(channel, shape, newShape, false, 1, sz, 0);
            System.arraycopy(r, 0, out, c * m, m);
        }
        return new SoftmaxVolume(softmax.numClasses(), newShape, out);
    }
}
