package org.nnunet.augmentation;

import java.util.Arrays;
import java.util.List;

/** A batch of samples sharing one spatial shape and channel counts, e.g. the patches of one training iteration. */
public record PatchBatch(List<Sample> samples) {

    public PatchBatch {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        Sample first = samples.get(0);
        for (Sample s : samples) {
            if (!Arrays.equals(s.shape(), first.shape()) || s.data().length != first.data().length
                    || s.seg().length != first.seg().length) {
                throw new IllegalArgumentException("batch samples differ in shape or channels: "
                        + Arrays.toString(first.shape()) + " vs " + Arrays.toString(s.shape()));
            }
        }
    }

    public int size() {
        return samples.size();
    }

    public int[] shape() {
        return samples.get(0).shape().clone();
    }

    /** Data as one C-order array of shape (b, c, spatial...), the layout a network input tensor expects. */
    public float[] dataTensor() {
        return flatten(true);
    }

    /** Segmentation as one C-order array of shape (b, c, spatial...). */
    public float[] segTensor() {
        return flatten(false);
    }

    private float[] flatten(boolean data) {
        Sample first = samples.get(0);
        int channels = data ? first.data().length : first.seg().length;
        int n = first.voxels();
        float[] out = new float[samples.size() * channels * n];
        int offset = 0;
        for (Sample s : samples) {
            for (float[] channel : data ? s.data() : s.seg()) {
                System.arraycopy(channel, 0, out, offset, n);
                offset += n;
            }
        }
        return out;
    }
}
