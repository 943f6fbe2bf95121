package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * batchgenerators SimulateLowResolutionTransform / augment_linear_downsampling_scipy with per_channel=True: each
 * channel (probability p_per_channel) is resized down to round(shape * zoom) with order {@code orderDown} and back up
 * with order {@code orderUp} (skimage resize, mode edge, no anti-aliasing). Ignored axes keep their size (nnU-Net's
 * dummy 2D ignores axis 0).
 */
public final class SimulateLowResolutionTransform implements SampleTransform {

    private final double[] zoomRange;
    private final double pPerChannel;
    private final int orderDown;
    private final int orderUp;
    private final double pPerSample;
    private final int[] ignoreAxes;

    public SimulateLowResolutionTransform(double[] zoomRange, double pPerChannel, int orderDown, int orderUp,
                                          double pPerSample, int[] ignoreAxes) {
        this.zoomRange = zoomRange.clone();
        this.pPerChannel = pPerChannel;
        this.orderDown = orderDown;
        this.orderUp = orderUp;
        this.pPerSample = pPerSample;
        this.ignoreAxes = ignoreAxes.clone();
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (rng.nextDouble() < pPerSample) {
            float[][] data = sample.data();
            for (int c = 0; c < data.length; c++) {
                if (rng.nextDouble() < pPerChannel) {
                    double zoom = RandomDraws.uniform(rng, zoomRange[0], zoomRange[1]);
                    data[c] = simulate(data[c], sample.shape(), zoom);
                }
            }
        }
        return sample;
    }

    float[] simulate(float[] channel, int[] shape, double zoom) {
        int[] target = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            // np.round is half-to-even; one voxel minimum keeps tiny test shapes valid
            target[d] = Math.max(1, (int) Math.rint(shape[d] * zoom));
        }
        for (int axis : ignoreAxes) {
            target[axis] = shape[axis];
        }
        double[] values = new double[channel.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = channel[i];
        }
        double[] down = Resize.resize(values, shape, target, orderDown);
        double[] up = Resize.resize(down, target, shape, orderUp);
        float[] out = new float[up.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) up[i];
        }
        return out;
    }
}
