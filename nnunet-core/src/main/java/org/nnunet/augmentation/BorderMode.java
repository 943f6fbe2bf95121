package org.nnunet.augmentation;

/** The scipy.ndimage boundary modes nnU-Net v1's augmentation uses. */
public enum BorderMode {
    /** Points outside [0, n-1] take the constant value; spline coefficients use mirror boundaries. */
    CONSTANT,
    /** Coordinates are clamped to the edge; cubic splines see the image edge-padded by 12 voxels. */
    NEAREST
}
