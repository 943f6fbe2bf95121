/**
 * nnU-Net v1.7.1 training-time data augmentation ("moreDA", nnUNetTrainerV2) in plain Java on float arrays.
 *
 * <p>Where each rule comes from:
 * <ul>
 *   <li>{@link org.nnunet.augmentation.AugmentationParameters}: nnUNetTrainerV2.setup_DA_params on top of
 *   default_data_augmentation.default_3D/2D_augmentation_params;
 *   {@link org.nnunet.augmentation.GeneratorPatchSize}: default_data_augmentation.get_patch_size.</li>
 *   <li>{@link org.nnunet.augmentation.AugmentationPipeline}: data_augmentation_moreDA.get_moreDA_augmentation
 *   (transform order and probabilities).</li>
 *   <li>Transforms: batchgenerators SpatialTransform/augment_spatial, GaussianNoiseTransform,
 *   GaussianBlurTransform, BrightnessMultiplicativeTransform, ContrastAugmentationTransform,
 *   SimulateLowResolutionTransform, GammaTransform, MirrorTransform, RemoveLabelTransform; nnU-Net's
 *   MaskTransform and Convert3DTo2D/2DTo3D ({@link org.nnunet.augmentation.Dummy2DSpatialTransform}).</li>
 *   <li>Numerics: {@link org.nnunet.augmentation.MapCoordinates} (scipy.ndimage.map_coordinates),
 *   {@link org.nnunet.augmentation.GaussianFilter} (scipy gaussian_filter), {@link org.nnunet.augmentation.Resize}
 *   (skimage resize), cross-checked against scipy 1.10 / skimage 0.19 in the tests.</li>
 * </ul>
 *
 * <p>Known differences from v1: random numbers come from {@link java.util.SplittableRandom} (one child stream per
 * sample), not numpy's global generator, so augmentations are distributed alike but not draw-for-draw identical;
 * Gaussian noise is added per channel (batchgenerators 0.23 behaviour; 0.25 adds it to the whole sample once per
 * channel, identical for one channel). Deep-supervision target downsampling and the cascade's seg-to-data transforms
 * are not part of this package.
 */
package org.nnunet.augmentation;
