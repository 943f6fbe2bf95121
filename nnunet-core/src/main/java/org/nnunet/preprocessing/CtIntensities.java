package org.nnunet.preprocessing;

/**
 * The dataset-wide foreground statistics a CT modality is normalized with ({@code intensityproperties[c]}:
 * {@code mean}, {@code sd}, {@code percentile_00_5}, {@code percentile_99_5}).
 */
public record CtIntensities(double mean, double sd, double percentile00_5, double percentile99_5) {}
