package org.nnunet.preprocessing;

import java.util.Map;

/**
 * One case after resampling and normalization, in transposed axis order: channels and segmentation of
 * {@code shape} (nnU-Net: {@code size_after_resampling}) at {@code spacing} ({@code spacing_after_resampling}),
 * and the sampled foreground positions per class ({@code class_locations}).
 */
public record PreprocessedCase(float[][] data, float[] seg, int[] shape, double[] spacing,
                               Map<Integer, int[][]> classLocations) {}
