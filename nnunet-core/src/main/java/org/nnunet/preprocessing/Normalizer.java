package org.nnunet.preprocessing;

/**
 * Per-channel intensity normalization of nnU-Net v1.7.1 {@code GenericPreprocessor.resample_and_normalize}, applied
 * in place after resampling. {@code seg} is the resampled segmentation (-1 outside the nonzero mask).
 * <ul>
 *   <li>CT: clip to the dataset foreground [0.5, 99.5] percentiles, then {@code (x - mean) / sd} with the dataset
 *   foreground mean and sd; with the mask, voxels where {@code seg < 0} become 0.</li>
 *   <li>nonCT with the mask: z-score of the voxels where {@code seg >= 0} with {@code sd + 1e-8}, 0 elsewhere;
 *   without: z-score of the whole image with {@code sd + 1e-8}.</li>
 *   <li>noNorm: unchanged.</li>
 * </ul>
 * Means and standard deviations (population, ddof 0) are accumulated in double; numpy accumulates float32 pairwise,
 * so results differ from v1 by float32 rounding only.
 */
public final class Normalizer {
    static final double EPS = 1e-8;

    private Normalizer() {}

    public static void normalize(float[] data, float[] seg, NormalizationScheme scheme, boolean useMask,
                                 CtIntensities ct) {
        switch (scheme) {
            case NO_NORM -> { }
            case CT -> normalizeCt(data, seg, useMask, ct);
            case NON_CT -> normalizeNonCt(data, seg, useMask);
        }
    }

    private static void normalizeCt(float[] data, float[] seg, boolean useMask, CtIntensities ct) {
        if (ct == null) {
            throw new IllegalArgumentException("CT normalization needs the dataset intensity properties");
        }
        double lo = ct.percentile00_5();
        double hi = ct.percentile99_5();
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            v = v < lo ? lo : (v > hi ? hi : v);
            data[i] = (float) ((v - ct.mean()) / ct.sd());
        }
        if (useMask) {
            requireSeg(seg, data);
            for (int i = 0; i < data.length; i++) {
                if (seg[i] < 0) {
                    data[i] = 0f;
                }
            }
        }
    }

    private static void normalizeNonCt(float[] data, float[] seg, boolean useMask) {
        if (useMask) {
            requireSeg(seg, data);
        }
        double sum = 0;
        long n = 0;
        for (int i = 0; i < data.length; i++) {
            if (!useMask || seg[i] >= 0) {
                sum += data[i];
                n++;
            }
        }
        if (n == 0) {
            // numpy: mean of an empty selection is NaN, but nothing is left to write except the zeros outside
            java.util.Arrays.fill(data, 0f);
            return;
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < data.length; i++) {
            if (!useMask || seg[i] >= 0) {
                double d = data[i] - mean;
                ss += d * d;
            }
        }
        double denom = Math.sqrt(ss / n) + EPS;
        for (int i = 0; i < data.length; i++) {
            if (!useMask || seg[i] >= 0) {
                data[i] = (float) ((data[i] - mean) / denom);
            } else {
                data[i] = 0f;
            }
        }
    }

    private static void requireSeg(float[] seg, float[] data) {
        if (seg == null || seg.length != data.length) {
            throw new IllegalArgumentException("normalizing with the nonzero mask needs a segmentation of "
                    + data.length + " voxels");
        }
    }
}
