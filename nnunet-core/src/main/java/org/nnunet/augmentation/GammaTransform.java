package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * batchgenerators GammaTransform / augment_gamma with per_channel=True: per channel, the intensities are mapped to
 * [0, 1] by their own min and range, raised to gamma ("half below one" draw from the range) and mapped back; with
 * retain_stats the channel's mean and sd are restored afterwards. invert_image negates before and after, i.e. the
 * gamma curve is applied to the inverted image.
 */
public final class GammaTransform implements SampleTransform {

    private static final double EPSILON = 1e-7;

    private final double[] gammaRange;
    private final boolean invertImage;
    private final boolean retainStats;
    private final double pPerSample;

    public GammaTransform(double[] gammaRange, boolean invertImage, boolean retainStats, double pPerSample) {
        this.gammaRange = gammaRange.clone();
        this.invertImage = invertImage;
        this.retainStats = retainStats;
        this.pPerSample = pPerSample;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            for (float[] channel : sample.data()) {
                applyGamma(channel, RandomDraws.aroundOne(rng, gammaRange[0], gammaRange[1]), invertImage,
                        retainStats);
            }
        }
        return sample;
    }

    static void applyGamma(float[] x, double gamma, boolean invert, boolean retainStats) {
        if (invert) {
            negate(x);
        }
        double mean = retainStats ? Stats.mean(x) : 0;
        double sd = retainStats ? Stats.std(x) : 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min + EPSILON;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.pow((x[i] - min) / range, gamma) * range + min);
        }
        if (retainStats) {
            double newMean = Stats.mean(x);
            double newSd = Stats.std(x);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((x[i] - newMean) / (newSd + 1e-8) * sd + mean);
            }
        }
        if (invert) {
            negate(x);
        }
    }

    private static void negate(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = -x[i];
        }
    }
}
