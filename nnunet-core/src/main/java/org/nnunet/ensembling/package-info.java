/**
 * Ensembling, nnU-Net v1.7.1 {@code inference/ensemble_predictions.py} ({@code nnUNet_ensemble}): mean of softmax
 * files, argmax, optional postprocessing.
 */
package org.nnunet.ensembling;
