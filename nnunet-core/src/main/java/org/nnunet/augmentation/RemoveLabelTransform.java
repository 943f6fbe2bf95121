package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/** batchgenerators RemoveLabelTransform(-1, 0): the "outside the crop" label becomes background. */
public final class RemoveLabelTransform implements SampleTransform {

    private final float label;
    private final float replacement;

    public RemoveLabelTransform(float label, float replacement) {
        this.label = label;
        this.replacement = replacement;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        for (float[] channel : sample.seg()) {
            for (int i = 0; i < channel.length; i++) {
                if (channel[i] == label) {
                    channel[i] = replacement;
                }
            }
        }
        return sample;
    }
}
