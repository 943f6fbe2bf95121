package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * nnU-Net v1 dummy-2D augmentation for anisotropic 3D data: Convert3DTo2DTransform reshapes (c, z, y, x) to
 * (c*z, y, x), a 2D {@link SpatialTransform} augments every slice in-plane with the same parameters, and
 * Convert2DTo3DTransform restores (c, z, y', x').
 */
public final class Dummy2DSpatialTransform implements SampleTransform {

    private final SpatialTransform inPlane;

    public Dummy2DSpatialTransform(SpatialTransform inPlane) {
        if (inPlane.patchSize().length != 2) {
            throw new IllegalArgumentException("dummy 2D needs a 2D spatial transform");
        }
        this.inPlane = inPlane;
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (sample.dimension() != 3) {
            throw new IllegalArgumentException("dummy 2D augmentation needs a 3D sample");
        }
        int z = sample.shape()[0];
        Sample flat = new Sample(toSlices(sample.data(), sample.shape()), toSlices(sample.seg(), sample.shape()),
                new int[]{sample.shape()[1], sample.shape()[2]});
        Sample out = inPlane.apply(flat, rng);
        int[] shape3d = {z, out.shape()[0], out.shape()[1]};
        return new Sample(fromSlices(out.data(), z, shape3d), fromSlices(out.seg(), z, shape3d), shape3d);
    }

    private static float[][] toSlices(float[][] channels, int[] shape) {
        int z = shape[0];
        int plane = shape[1] * shape[2];
        float[][] slices = new float[channels.length * z][plane];
        for (int c = 0; c < channels.length; c++) {
            for (int s = 0; s < z; s++) {
                System.arraycopy(channels[c], s * plane, slices[c * z + s], 0, plane);
            }
        }
        return slices;
    }

    private static float[][] fromSlices(float[][] slices, int z, int[] shape3d) {
        int plane = shape3d[1] * shape3d[2];
        float[][] channels = new float[slices.length / z][z * plane];
        for (int i = 0; i < slices.length; i++) {
            System.arraycopy(slices[i], 0, channels[i / z], (i % z) * plane, plane);
        }
        return channels;
    }
}
