package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * batchgenerators GaussianBlurTransform(sigma, different_sigma_per_channel=True, p_per_channel, p_per_sample):
 * each channel is blurred with probability p_per_channel using its own isotropic sigma (scipy gaussian_filter).
 */
public final class GaussianBlurTransform implements SampleTransform {

    private final double[] sigmaRange;
    private final double pPerChannel;
    private final double pPerSample;

    public GaussianBlurTransform(double[] sigmaRange, double pPerChannel, double pPerSample) {
        this.sigmaRange = sigmaRange.clone();
        this.pPerChannel = pPerChannel;
        this.pPerSample = pPerSample;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            for (float[] channel : sample.data()) {
                if (rng.nextDouble() <= pPerChannel) {
                    double sigma = RandomDraws.uniform(rng, sigmaRange[0], sigmaRange[1]);
                    GaussianFilter.filterInPlace(channel, sample.shape(), sigma);
                }
            }
        }
        return sample;
    }
}
