package org.nnunet.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * One trained network seen from inference: raw outputs (logits, before softmax) for one input patch. The network side
 * (DJL) implements it; inference applies the softmax itself, as v1's {@code inference_apply_nonlin}.
 *
 * <p>Patches are C-order arrays {@code [channels, *patchShape]}; {@code patchShape} has 2 entries for a 2D network
 * (y, x) and 3 for a 3D one (z, y, x). The result is {@code [numClasses(), *patchShape]}, a fresh array the caller
 * may overwrite.
 */
public interface PatchPredictor {

    float[] predictLogits(float[] patch, int channels, int[] patchShape);

    int numClasses();

    /**
     * The mirrored copies of one tile, in the order given. Implementations may run them as one batch; the default
     * predicts them one at a time.
     */
    default List<float[]> predictLogits(List<float[]> patches, int channels, int[] patchShape) {
        List<float[]> out = new ArrayList<>(patches.size());
        for (float[] p : patches) {
            out.add(predictLogits(p, channels, patchShape));
        }
        return out;
    }
}
