package org.nnunet.cropping;

import java.util.List;

/**
 * One case cut to its nonzero box: image channels and the segmentation (-1 outside the nonzero mask where the
 * label was background), each a (z, y, x) C-order array of {@code properties.sizeAfterCropping()}.
 */
public record CroppedCase(String caseId, List<float[]> channels, float[] seg, CaseProperties properties) {

    public int[] shape() {
        return properties.sizeAfterCropping().clone();
    }
}
