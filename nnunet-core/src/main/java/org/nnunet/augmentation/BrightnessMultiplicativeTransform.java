package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/** batchgenerators BrightnessMultiplicativeTransform (per_channel=True): each channel times U(range). */
public final class BrightnessMultiplicativeTransform implements SampleTransform {

    private final double[] multiplierRange;
    private final double pPerSample;

    public BrightnessMultiplicativeTransform(double[] multiplierRange, double pPerSample) {
        this.multiplierRange = multiplierRange.clone();
        this.pPerSample = pPerSample;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            for (float[] channel : sample.data()) {
                multiply(channel, RandomDraws.uniform(rng, multiplierRange[0], multiplierRange[1]));
            }
        }
        return sample;
    }

    static void multiply(float[] channel, double multiplier) {
        for (int i = 0; i < channel.length; i++) {
            channel[i] = (float) (channel[i] * multiplier);
        }
    }
}
