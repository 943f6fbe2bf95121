package org.nnunet.inference;

import java.util.Arrays;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.image.Volume;
import org.nnunet.preprocessing.Resampler;

/**
 * The 3d_lowres segmentation of a case as extra network input of 3d_cascade_fullres at prediction time (v1.7.1
 * {@code predict.preprocess_save_to_queue} with {@code segs_from_prev_stage}): a label map at the raw image's shape,
 * resized with {@code resize_segmentation(order=1)} to the preprocessed shape and one-hot encoded (labels
 * 1..classes-1).
 *
 * <p>Difference from v1: v1 resizes the raw-shape map straight to the preprocessed shape, ignoring the nonzero crop
 * and the planner's transpose. We first cut it to the case's crop box and transpose it as the image was, so the map
 * lies on the image as it did in training ({@code pred_next_stage}); the same as v1 when the crop keeps the whole
 * image and the transpose is the identity.
 */
public final class CascadeInput {
    private CascadeInput() {}

    /**
     * @param lowres            the case's 3d_lowres segmentation, at the raw image's shape
     * @param properties        the case's cropping properties (raw shape and crop box)
     * @param transposeForward  the plans' {@code transpose_forward}
     * @param preprocessedShape the shape of the preprocessed case (transposed, at the stage's spacing)
     */
    public static float[][] oneHot(Volume lowres, CaseProperties properties, int[] transposeForward,
                                   int[] preprocessedShape, int numClasses) {
        int[] raw = properties.originalSizeOfRawData();
        if (!Arrays.equals(lowres.shape(), raw)) {
            throw new IllegalArgumentException("image and segmentation from previous stage don't have the same "
                    + "pixel array shape! image: " + Arrays.toString(raw) + ", seg_prev: "
                    + Arrays.toString(lowres.shape()));
        }
        var box = properties.boundingBox();
        float[] cropped = box.crop(lowres.data(), raw);
        SoftmaxVolume transposed = new SoftmaxVolume(1, box.shape(), cropped).transposeSpatial(transposeForward);
        float[] resized = Arrays.equals(transposed.shape(), preprocessedShape) ? transposed.data()
                : Resampler.resizeSegmentation(transposed.data(), transposed.shape(), preprocessedShape, 1);
        return PreviousStageSegmentations.oneHot(resized, numClasses);
    }
}
