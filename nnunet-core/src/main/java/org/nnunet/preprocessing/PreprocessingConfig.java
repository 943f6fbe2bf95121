package org.nnunet.preprocessing;

import java.util.Arrays;

/**
 * What the preprocessors take from the plans (nnU-Net v1: the {@code GenericPreprocessor} constructor arguments plus
 * {@code all_classes}): per modality the normalization scheme, whether to normalize inside the nonzero mask only and,
 * for CT, the dataset intensities; the axis order {@code transpose_forward}; the foreground classes whose voxel
 * positions are sampled.
 */
public record PreprocessingConfig(NormalizationScheme[] schemes, boolean[] useMaskForNorm, CtIntensities[] ctIntensities,
                                  int[] transposeForward, int[] allClasses) {

    public PreprocessingConfig {
        if (schemes.length != useMaskForNorm.length || schemes.length != ctIntensities.length) {
            throw new IllegalArgumentException("normalization schemes, use_mask_for_norm and intensity properties "
                    + "must have one entry per modality");
        }
        int[] sorted = transposeForward.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, new int[] {0, 1, 2})) {
            throw new IllegalArgumentException("transpose_forward must be a permutation of (0, 1, 2), got "
                    + Arrays.toString(transposeForward));
        }
        schemes = schemes.clone();
        useMaskForNorm = useMaskForNorm.clone();
        ctIntensities = ctIntensities.clone();
        transposeForward = transposeForward.clone();
        allClasses = allClasses.clone();
    }

    public int numModalities() {
        return schemes.length;
    }

    @Override
    public NormalizationScheme[] schemes() {
        return schemes.clone();
    }

    @Override
    public boolean[] useMaskForNorm() {
        return useMaskForNorm.clone();
    }

    @Override
    public CtIntensities[] ctIntensities() {
        return ctIntensities.clone();
    }

    @Override
    public int[] transposeForward() {
        return transposeForward.clone();
    }

    @Override
    public int[] allClasses() {
        return allClasses.clone();
    }
}
