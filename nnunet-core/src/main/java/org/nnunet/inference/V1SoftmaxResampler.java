package org.nnunet.inference;

import org.nnunet.preprocessing.Resampler;
import org.nnunet.preprocessing.SeparateZ;

/**
 * The export resampling of v1.7.1 {@code save_segmentation_nifti_from_softmax} on top of the preprocessing
 * {@link Resampler}: each class map through {@code resample_data_or_seg(is_seg=False, order=1, order_z=0)}
 * (skimage resize, edge mode, clipped; separate z: in-plane order 1 per slice, nearest along z), separate z decided
 * by {@link SeparateZ#decide} from the original spacing, else the spacing after resampling. One difference:
 * where two axes tie for the largest spacing v1 export would fail an assertion; we resample without separate z.
 */
public final class V1SoftmaxResampler implements SoftmaxResampler {
    public static final int ORDER = 1;
    public static final int ORDER_Z = 0;

    @Override
    public SoftmaxVolume resample(SoftmaxVolume softmax, int[] newShape, double[] originalSpacing,
                                  double[] spacingAfterResampling) {
        SeparateZ separateZ = SeparateZ.decide(originalSpacing, spacingAfterResampling, null);
        int n = softmax.voxelCount();
        int m = newShape[0] * newShape[1] * newShape[2];
        float[] out = new float[softmax.numClasses() * m];
        float[] channel = new float[n];
        for (int c = 0; c < softmax.numClasses(); c++) {
            System.arraycopy(softmax.data(), c * n, channel, 0, n);
            float[] r = Resampler.resampleDataOrSeg(channel, softmax.shape(), newShape, false, ORDER, separateZ,
                    ORDER_Z);
            System.arraycopy(r, 0, out, c * m, m);
        }
        return new SoftmaxVolume(softmax.numClasses(), newShape, out);
    }
}
