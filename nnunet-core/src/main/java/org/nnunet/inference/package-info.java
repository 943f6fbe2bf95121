/**
 * Inference, nnU-Net v1.7.1 {@code network_architecture/neural_network.py} and {@code inference/}: sliding-window
 * prediction with Gaussian weighting and mirroring ({@link org.nnunet.inference.SlidingWindowPredictor}), fold
 * averaging, export back to the original image ({@link org.nnunet.inference.SegmentationExporter}), softmax files
 * ({@code .npz}, float16), the per-case prediction flow and a fold's validation. The network is reached only through
 * {@link org.nnunet.inference.PatchPredictor}; {@link org.nnunet.inference.ModelPredictor}, the whole raw case ->
 * segmentation flow for {@code nnUNet_predict}, the pipeline and the inference service, is the one class that
 * loads trained networks.
 */
package org.nnunet.inference;
