package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/** batchgenerators MirrorTransform / augment_mirroring: each listed spatial axis is flipped with probability 0.5. */
public final class MirrorTransform implements SampleTransform {

    private final int[] axes;

    public MirrorTransform(int[] axes) {
        this.axes = axes.clone();
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        for (int axis = 0; axis < sample.dimension(); axis++) {
            if (contains(axis) && rng.nextDouble() < 0.5) {
                flip(sample, axis);
            }
        }
        return sample;
    }

    private boolean contains(int axis) {
        for (int a : axes) {
            if (a == axis) {
                return true;
            }
        }
        return false;
    }

    static void flip(Sample sample, int axis) {
        for (float[] channel : sample.data()) {
            flip(channel, sample.shape(), axis);
        }
        for (float[] channel : sample.seg()) {
            flip(channel, sample.shape(), axis);
        }
    }

    static void flip(float[] x, int[] shape, int axis) {
        int stride = MapCoordinates.strides(shape)[axis];
        int len = shape[axis];
        int outer = x.length / (len * stride);
        for (int o = 0; o < outer; o++) {
            int base0 = o * len * stride;
            for (int inner = 0; inner < stride; inner++) {
                int base = base0 + inner;
                for (int i = 0, j = len - 1; i < j; i++, j--) {
                    float t = x[base + i * stride];
                    x[base + i * stride] = x[base + j * stride];
                    x[base + j * stride] = t;
                }
            }
        }
    }
}
