package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hand-computed values for the v1 normalization schemes (GenericPreprocessor.resample_and_normalize). */
class NormalizerTest {
    // 2 x 2 x 2 volume; seg -1 marks the outside of the nonzero mask
    private static final float[] SEG = {-1, 0, 0, 1, 1, 2, -1, 0};

    @Test
    @DisplayName("CT: clip to [p0.5, p99.5], (x - mean) / sd with dataset foreground stats; mask seg<0 -> 0")
    void ct() {
        float[] x = {-2000, -100, 0, 50, 100, 3000, 40, 10};
        CtIntensities ct = new CtIntensities(50, 100, -1000, 1000);
        float[] noMask = x.clone();
        Normalizer.normalize(noMask, SEG, NormalizationScheme.CT, false, ct);
        assertArrayEquals(new float[] {-10.5f, -1.5f, -0.5f, 0f, 0.5f, 9.5f, -0.1f, -0.4f}, noMask, 1e-6f);
        float[] masked = x.clone();
        Normalizer.normalize(masked, SEG, NormalizationScheme.CT, true, ct);
        assertArrayEquals(new float[] {0f, -1.5f, -0.5f, 0f, 0.5f, 9.5f, 0f, -0.4f}, masked, 1e-6f);
    }

    @Test
    @DisplayName("nonCT with mask: z-score inside seg >= 0 with sd + 1e-8, 0 outside")
    void nonCtMasked() {
        float[] x = {100, 1, 2, 3, 4, 5, -7, 6};
        // inside: 1..6, mean 3.5, population sd sqrt(35/12)
        double sd = Math.sqrt(35.0 / 12.0) + 1e-8;
        Normalizer.normalize(x, SEG, NormalizationScheme.NON_CT, true, null);
        float[] expected = new float[8];
        double[] inside = {1, 2, 3, 4, 5, 6};
        int[] at = {1, 2, 3, 4, 5, 7};
        for (int i = 0; i < at.length; i++) {
            expected[at[i]] = (float) ((inside[i] - 3.5) / sd);
        }
        assertArrayEquals(expected, x, 1e-6f);
    }

    @Test
    @DisplayName("nonCT without mask: whole-image z-score with sd + 1e-8; noNorm leaves the data alone")
    void nonCtWholeImageAndNoNorm() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double sd = Math.sqrt(63.0 / 12.0) + 1e-8; // population variance of 1..8 is 5.25
        Normalizer.normalize(x, SEG, NormalizationScheme.NON_CT, false, null);
        for (int i = 0; i < 8; i++) {
            assertEquals((i + 1 - 4.5) / sd, x[i], 1e-6);
        }
        float[] y = {1, 2, 3, 4, 5, 6, 7, 8};
        Normalizer.normalize(y, SEG, NormalizationScheme.NO_NORM, true, null);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, y);
        assertEquals(NormalizationScheme.NON_CT, NormalizationScheme.fromPlanName("nonCT"));
    }
}
