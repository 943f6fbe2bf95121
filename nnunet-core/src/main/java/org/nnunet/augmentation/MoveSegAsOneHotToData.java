package org.nnunet.augmentation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * v1 pyramid_augmentations.MoveSegAsOneHotToData(channel_id, all_seg_labels, 'seg', 'data'): the cascade keeps the
 * previous stage's segmentation as seg channel {@code channelId} through the spatial transforms; this turns it into
 * one-hot data channels (one per label in {@code labels}, appended after the image channels) and removes it from
 * the segmentation.
 */
public final class MoveSegAsOneHotToData implements SampleTransform {

    private final int channelId;
    private final int[] labels;

    public MoveSegAsOneHotToData(int channelId, int[] labels) {
        this.channelId = channelId;
        this.labels = labels.clone();
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        float[][] seg = sample.seg();
        if (channelId >= seg.length) {
            throw new IllegalArgumentException("sample has " + seg.length + " seg channels, cannot move channel "
                    + channelId + " to the data");
        }
        float[] source = seg[channelId];
        float[][] data = Arrays.copyOf(sample.data(), sample.data().length + labels.length);
        for (int i = 0; i < labels.length; i++) {
            float[] oneHot = new float[source.length];
            for (int v = 0; v < source.length; v++) {
                if (source[v] == labels[i]) {
                    oneHot[v] = 1f;
                }
            }
            data[sample.data().length + i] = oneHot;
        }
        float[][] remaining = new float[seg.length - 1][];
        for (int c = 0, k = 0; c < seg.length; c++) {
            if (c != channelId) {
                remaining[k++] = seg[c];
            }
        }
        return new Sample(data, remaining, sample.shape());
    }
}
