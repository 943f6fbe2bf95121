package org.nnunet.preprocessing;

/**
 * Preprocesses one cropped case: nnU-Net v1.7.1 {@code GenericPreprocessor._run_internal} and
 * {@code resample_and_normalize}; with {@code twoD}, {@code PreprocessorFor2D}, which keeps the out-of-plane
 * spacing of each case. Steps: transpose by {@code transpose_forward}, NaN to 0, resample to the target spacing
 * (given in transposed order; data order 3, seg order 1, separate z by {@link SeparateZ#decide}), labels below -1 to
 * 0, normalize each channel, sample the class locations.
 */
public final class CasePreprocessor {
    private final PreprocessingConfig config;

    public CasePreprocessor(PreprocessingConfig config) {
        this.config = config;
    }

    /**
     * @param channels cropped image channels, (z, y, x) in the original axis order; consumed (may be modified)
     * @param seg cropped segmentation (-1 outside the nonzero mask), same shape; consumed too
     * @param originalSpacing the case's spacing in the original axis order (nnU-Net's {@code original_spacing})
     * @param targetSpacing the stage's spacing in transposed order (the plans' {@code current_spacing})
     */
    public PreprocessedCase preprocess(float[][] channels, float[] seg, int[] shape, double[] originalSpacing,
                                       double[] targetSpacing, boolean twoD) {
        if (channels.length != config.numModalities()) {
            throw new IllegalArgumentException("case has " + channels.length + " channels, the plans "
                    + config.numModalities() + " modalities");
        }
        int[] t = config.transposeForward();
        int[] tShape = permute(shape, t);
        double[] tSpacing = new double[3];
        for (int i = 0; i < 3; i++) {
            tSpacing[i] = originalSpacing[t[i]];
        }
        float[][] data = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            data[c] = transpose(channels[c], shape, t);
            for (int i = 0; i < data[c].length; i++) {
                if (Float.isNaN(data[c][i])) {
                    data[c][i] = 0f;
                }
            }
        }
        float[] tSeg = transpose(seg, shape, t);
        double[] target = targetSpacing.clone();
        if (twoD) {
            target[0] = tSpacing[0];
        }
        Resampler.Resampled r = Resampler.resamplePatient(data, tSeg, tShape, tSpacing, target, null);
        float[] outSeg = r.seg();
        for (int i = 0; i < outSeg.length; i++) {
            // v1: "hippocampus 243 has one voxel with -2 as label"
            if (outSeg[i] < -1) {
                outSeg[i] = 0f;
            }
        }
        NormalizationScheme[] schemes = config.schemes();
        boolean[] useMask = config.useMaskForNorm();
        CtIntensities[] ct = config.ctIntensities();
        float[][] outData = r.data();
        for (int c = 0; c < outData.length; c++) {
            Normalizer.normalize(outData[c], outSeg, schemes[c], useMask[c], ct[c]);
        }
        return new PreprocessedCase(outData, outSeg, r.shape(), target,
                ClassLocations.sample(outSeg, r.shape(), config.allClasses()));
    }

    static int[] permute(int[] shape, int[] t) {
        return new int[] {shape[t[0]], shape[t[1]], shape[t[2]]};
    }

    /** {@code np.transpose(x, t)} of a C-order (z, y, x) volume, copied to C order. Identity: the same array. */
    static float[] transpose(float[] x, int[] shape, int[] t) {
        if (t[0] == 0 && t[1] == 1 && t[2] == 2) {
            return x;
        }
        int[] strides = {shape[1] * shape[2], shape[2], 1};
        int[] ns = permute(shape, t);
        int s0 = strides[t[0]];
        int s1 = strides[t[1]];
        int s2 = strides[t[2]];
        float[] out = new float[x.length];
        int o = 0;
        for (int a = 0; a < ns[0]; a++) {
            for (int b = 0; b < ns[1]; b++) {
                int base = a * s0 + b * s1;
                for (int c = 0; c < ns[2]; c++) {
                    out[o++] = x[base + c * s2];
                }
            }
        }
        return out;
    }
}
