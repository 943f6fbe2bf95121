package org.nnunet.preprocessing;

import java.util.Arrays;

/**
 * Whether to resample the out-of-plane axis on its own, and which axis that is: nnU-Net v1.7.1
 * {@code preprocessing.get_do_separate_z}, {@code get_lowres_axis} and the decision block of
 * {@code resample_patient}. {@code axis} is -1 when {@code separate} is false.
 */
public record SeparateZ(boolean separate, int axis) {

    /** {@code RESAMPLING_SEPARATE_Z_ANISO_THRESHOLD} in {@code nnunet/configuration.py}. */
    public static final double ANISOTROPY_THRESHOLD = 3;

    public static final SeparateZ NONE = new SeparateZ(false, -1);

    /** {@code get_do_separate_z}: largest spacing more than 3 times the smallest. */
    public static boolean isAnisotropic(double[] spacing) {
        double max = Arrays.stream(spacing).max().orElseThrow();
        double min = Arrays.stream(spacing).min().orElseThrow();
        return max / min > ANISOTROPY_THRESHOLD;
    }

    /** {@code get_lowres_axis}: every axis whose spacing equals the largest one. */
    public static int[] lowResAxes(double[] spacing) {
        double max = Arrays.stream(spacing).max().orElseThrow();
        return java.util.stream.IntStream.range(0, spacing.length).filter(i -> max / spacing[i] == 1).toArray();
    }

    /**
     * The v1 rule: the original spacing decides if it is anisotropic, else the target spacing; {@code force}
     * (nnU-Net's {@code force_separate_z}, null = decide) overrides. If two or three axes tie for the largest spacing
     * there is no separate z (e.g. spacing (0.24, 1.25, 1.25)).
     */
    public static SeparateZ decide(double[] originalSpacing, double[] targetSpacing, Boolean force) {
        int[] axes;
        if (force != null) {
            if (!force) {
                return NONE;
            }
            axes = lowResAxes(originalSpacing);
        } else if (isAnisotropic(originalSpacing)) {
            axes = lowResAxes(originalSpacing);
        } else if (isAnisotropic(targetSpacing)) {
            axes = lowResAxes(targetSpacing);
        } else {
            return NONE;
        }
        return axes.length == 1 ? new SeparateZ(true, axes[0]) : NONE;
    }

    /** {@code new_shape = np.round(original_spacing / target_spacing * shape)} (numpy rounds halves to even). */
    public static int[] newShape(int[] shape, double[] originalSpacing, double[] targetSpacing) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = (int) Math.rint(originalSpacing[i] / targetSpacing[i] * shape[i]);
        }
        return out;
    }
}
