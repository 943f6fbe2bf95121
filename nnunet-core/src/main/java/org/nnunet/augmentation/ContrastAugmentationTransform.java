package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * batchgenerators ContrastAugmentationTransform (preserve_range=True, per_channel=True): per channel
 * {@code (x - mean) * factor + mean}, clipped to the channel's original [min, max]; factor by the "half below one"
 * rule from the contrast range.
 */
public final class ContrastAugmentationTransform implements SampleTransform {

    private final double[] contrastRange;
    private final double pPerSample;

    public ContrastAugmentationTransform(double[] contrastRange, double pPerSample) {
        this.contrastRange = contrastRange.clone();
        this.pPerSample = pPerSample;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            for (float[] channel : sample.data()) {
                applyContrast(channel, RandomDraws.aroundOne(rng, contrastRange[0], contrastRange[1]));
            }
        }
        return sample;
    }

    static void applyContrast(float[] x, double factor) {
        double mean = Stats.mean(x);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < x.length; i++) {
            float v = (float) ((x[i] - mean) * factor + mean);
            x[i] = v < min ? min : Math.min(v, max);
        }
    }
}
