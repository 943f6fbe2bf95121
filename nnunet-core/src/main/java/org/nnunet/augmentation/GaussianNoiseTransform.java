package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * batchgenerators GaussianNoiseTransform(p_per_sample): one noise standard deviation ("variance" in their naming)
 * drawn from {@code sdRange} per sample, zero-mean Gaussian noise of that sd added to every channel.
 */
public final class GaussianNoiseTransform implements SampleTransform {

    private final double[] sdRange;
    private final double pPerSample;

    public GaussianNoiseTransform(double[] sdRange, double pPerSample) {
        this.sdRange = sdRange.clone();
        this.pPerSample = pPerSample;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            double sd = RandomDraws.uniform(rng, sdRange[0], sdRange[1]);
            for (float[] channel : sample.data()) {
                addNoise(channel, sd, rng);
            }
        }
        return sample;
    }

    static void addNoise(float[] channel, double sd, RandomGenerator rng) {
        for (int i = 0; i < channel.length; i++) {
            channel[i] = (float) (channel[i] + sd * rng.nextGaussian());
        }
    }
}
