package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.nnunet.inference.PatchPredictor;

/**
 * A trained {@link GenericUNet} as inference sees it: full-resolution logits for a patch, deep supervision off, no
 * autograd ({@link GenericUNet#predict} switches grad mode off on the calling thread, djl.md).
 * Calls are serialized: two forward passes sharing two cores are slower than one after the other (djl.md).
 */
public final class NetworkPatchPredictor implements PatchPredictor {
    private final GenericUNet network;
    private final NDManager manager;

    public NetworkPatchPredictor(GenericUNet network, NDManager manager) {
        this.network = network;
        this.manager = manager;
    }

    @Override
    public int numClasses() {
        return network.architecture().numClasses();
    }

    @Override
    public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
        return predictLogits(List.of(patch), channels, patchShape).get(0);
    }

    /** The mirrored copies of a tile run as one batch. */
    @Override
    public synchronized List<float[]> predictLogits(List<float[]> patches, int channels, int[] patchShape) {
        boolean deepSupervision = network.deepSupervision();
        network.setDeepSupervision(false);
        try (NDManager call = manager.newSubManager()) {
            int per = patches.get(0).length;
            float[] batch = new float[patches.size() * per];
            for (int i = 0; i < patches.size(); i++) {
                System.arraycopy(patches.get(i), 0, batch, i * per, per);
            }
            long[] shape = new long[patchShape.length + 2];
            shape[0] = patches.size();
            shape[1] = channels;
            for (int i = 0; i < patchShape.length; i++) {
                shape[i + 2] = patchShape[i];
            }
            NDArray input = call.create(batch, new Shape(shape));
            NDList out = network.predict(input);
            float[] logits = out.get(0).toFloatArray();
            int outPer = logits.length / patches.size();
            List<float[]> result = new ArrayList<>(patches.size());
            for (int i = 0; i < patches.size(); i++) {
                float[] one = new float[outPer];
                System.arraycopy(logits, i * outPer, one, 0, outPer);
                result.add(one);
            }
            return result;
        } finally {
            network.setDeepSupervision(deepSupervision);
        }
    }
}
