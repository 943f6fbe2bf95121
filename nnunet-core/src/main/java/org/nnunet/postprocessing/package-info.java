/**
 * Postprocessing, nnU-Net v1.7.1 {@code postprocessing/connected_components.py}: keep the largest 6-connected
 * component per region, {@code determine_postprocessing} and {@code postprocessing.json}.
 */
package org.nnunet.postprocessing;
