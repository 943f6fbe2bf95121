package org.nnunet.augmentation;

import java.util.Arrays;

/**
 * The moreDA parameter set of nnUNetTrainerV2.setup_DA_params (v1.7.1) on top of default_3D/2D_augmentation_params.
 *
 * @param patchSize                final network patch size (3 entries for 3D incl. dummy 2D, 2 for 2D)
 * @param dummy2D                  augment 3D data slice-wise in-plane (anisotropic plans)
 * @param generatorPatchSize       enlarged patch the data loader cuts (basic_generator_patch_size)
 * @param rotationX                rotation range around axis 0, radians (2D: the in-plane rotation)
 * @param maskUsedForNormalization per channel, whether z-scoring used the nonzero mask (MaskTransform); may be null
 */
public record AugmentationParameters(int[] patchSize, boolean dummy2D, int[] generatorPatchSize,
                                     double[] rotationX, double[] rotationY, double[] rotationZ, double pRotation,
                                     double pRotationPerAxis, double[] scaleRange, double pScale,
                                     double[] gammaRange, double pGamma, boolean gammaRetainStats, int[] mirrorAxes,
                                     boolean[] maskUsedForNormalization) {

    /** default_3D_augmentation_params scale_range; still in effect when setup_DA_params calls get_patch_size. */
    public static final double[] DEFAULT_SCALE_RANGE = {0.85, 1.25};
    /** nnUNetTrainerV2 scale_range for the spatial transform itself. */
    public static final double[] MORE_DA_SCALE_RANGE = {0.7, 1.4};

    /**
     * nnUNetTrainerV2.setup_DA_params: 3D rotation +-30 degrees about each axis; dummy 2D rotates +-180 degrees
     * in-plane only; 2D rotates +-180 degrees, or +-15 degrees when max(patch) / min(patch) > 1.5. The generator patch
     * size is computed before scale_range is overwritten with (0.7, 1.4), so it divides by 0.85, as v1.7.1 does.
     */
    public static AugmentationParameters nnUNetTrainerV2(int[] patchSize, boolean dummy2D,
                                                         boolean[] maskUsedForNormalization) {
        double deg30 = 30.0 / 360 * 2.0 * Math.PI;
        double deg180 = 180.0 / 360 * 2.0 * Math.PI;
        double deg15 = 15.0 / 360 * 2.0 * Math.PI;
        double[] rotX;
        double[] rotY;
        double[] rotZ;
        int[] mirrorAxes;
        if (patchSize.length == 3) {
            rotX = dummy2D ? new double[]{-deg180, deg180} : new double[]{-deg30, deg30};
            rotY = new double[]{-deg30, deg30};
            rotZ = new double[]{-deg30, deg30};
            mirrorAxes = new int[]{0, 1, 2};
        } else if (patchSize.length == 2) {
            if (dummy2D) {
                throw new IllegalArgumentException("dummy 2D augmentation applies to 3D patches only");
            }
            int max = Math.max(patchSize[0], patchSize[1]);
            int min = Math.min(patchSize[0], patchSize[1]);
            double r = (double) max / min > 1.5 ? deg15 : deg180;
            rotX = new double[]{-r, r};
            rotY = new double[]{0, 0};
            rotZ = new double[]{0, 0};
            mirrorAxes = new int[]{0, 1};
        } else {
            throw new IllegalArgumentException("patch size must have 2 or 3 entries: " + Arrays.toString(patchSize));
        }
        double minScale = DEFAULT_SCALE_RANGE[0];
        int[] generator;
        if (dummy2D) {
            int[] inPlane = {patchSize[1], patchSize[2]};
            int[] g = GeneratorPatchSize.compute(inPlane, GeneratorPatchSize.maxAbs(rotX),
                    GeneratorPatchSize.maxAbs(rotY), GeneratorPatchSize.maxAbs(rotZ), minScale);
            generator = new int[]{patchSize[0], g[0], g[1]};
        } else {
            generator = GeneratorPatchSize.compute(patchSize, GeneratorPatchSize.maxAbs(rotX),
                    GeneratorPatchSize.maxAbs(rotY), GeneratorPatchSize.maxAbs(rotZ), minScale);
        }
        return new AugmentationParameters(patchSize.clone(), dummy2D, generator, rotX, rotY, rotZ, 0.2, 1.0,
                MORE_DA_SCALE_RANGE.clone(), 0.2, new double[]{0.7, 1.5}, 0.3, true, mirrorAxes,
                maskUsedForNormalization == null ? null : maskUsedForNormalization.clone());
    }
}
