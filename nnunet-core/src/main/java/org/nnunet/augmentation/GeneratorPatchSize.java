package org.nnunet.augmentation;

/**
 * default_data_augmentation.get_patch_size: the enlarged patch the data loader must cut so that rotating and scaling
 * the final patch never samples far outside it. Each rotation (x, y, z separately, each capped at 90 degrees) is
 * applied to the patch-size vector (row vector times matrix), the elementwise max of |result| and the patch is kept,
 * then divided by the smallest scale and truncated to int.
 */
public final class GeneratorPatchSize {

    private GeneratorPatchSize() {
    }

    /**
     * @param rotX largest absolute rotation around the first axis, radians (the only one used for 2D patches)
     */
    public static int[] compute(int[] finalPatchSize, double rotX, double rotY, double rotZ, double minScale) {
        double cap = 90.0 / 360 * 2.0 * Math.PI;
        rotX = Math.min(cap, rotX);
        rotY = Math.min(cap, rotY);
        rotZ = Math.min(cap, rotZ);
        int dim = finalPatchSize.length;
        double[] shape = new double[dim];
        for (int d = 0; d < dim; d++) {
            shape[d] = finalPatchSize[d];
        }
        if (dim == 3) {
            maxInto(shape, rotate(finalPatchSize, SpatialTransform.rotation3d(rotX, 0, 0)));
            maxInto(shape, rotate(finalPatchSize, SpatialTransform.rotation3d(0, rotY, 0)));
            maxInto(shape, rotate(finalPatchSize, SpatialTransform.rotation3d(0, 0, rotZ)));
        } else if (dim == 2) {
            maxInto(shape, rotate(finalPatchSize, SpatialTransform.rotation2d(rotX)));
        } else {
            throw new IllegalArgumentException("patch size must have 2 or 3 entries");
        }
        int[] out = new int[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (int) (shape[d] / minScale);
        }
        return out;
    }

    /** Largest absolute value of a symmetric or asymmetric angle range. */
    public static double maxAbs(double[] range) {
        return Math.max(Math.abs(range[0]), Math.abs(range[1]));
    }

    private static double[] rotate(int[] v, double[][] m) {
        int n = v.length;
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                r[j] += v[i] * m[i][j];
            }
        }
        return r;
    }

    private static void maxInto(double[] shape, double[] rotated) {
        for (int d = 0; d < shape.length; d++) {
            shape[d] = Math.max(shape[d], Math.abs(rotated[d]));
        }
    }
}
