package org.nnunet.augmentation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * batchgenerators SpatialTransform / augment_spatial as nnU-Net v1 (get_moreDA_augmentation) configures it: no
 * elastic deformation, random rotation and isotropic scaling of a coordinate grid of the final patch size centred on
 * the (larger) input patch, then map_coordinates (data order 3 constant 0; seg per label order 1 constant -1).
 * When neither rotation nor scaling is drawn the patch is a plain center crop.
 */
public final class SpatialTransform implements SampleTransform {

    private final int[] patchSize;
    private final double[] angleX;
    private final double[] angleY;
    private final double[] angleZ;
    private final double pRotPerSample;
    private final double pRotPerAxis;
    private final double[] scaleRange;
    private final double pScalePerSample;
    private final int orderData;
    private final double cvalData;
    private final int orderSeg;
    private final double cvalSeg;

    /**
     * @param patchSize final (output) spatial size, 2 or 3 entries
     * @param angleX    rotation range in radians around the first axis (the only one used in 2D)
     */
    public SpatialTransform(int[] patchSize, double[] angleX, double[] angleY, double[] angleZ, double pRotPerSample,
                            double pRotPerAxis, double[] scaleRange, double pScalePerSample, int orderData,
                            double cvalData, int orderSeg, double cvalSeg) {
        if (patchSize.length != 2 && patchSize.length != 3) {
            throw new IllegalArgumentException("patch size must be 2D or 3D: " + Arrays.toString(patchSize));
        }
        this.patchSize = patchSize.clone();
        this.angleX = angleX.clone();
        this.angleY = angleY.clone();
        this.angleZ = angleZ.clone();
        this.pRotPerSample = pRotPerSample;
        this.pRotPerAxis = pRotPerAxis;
        this.scaleRange = scaleRange.clone();
        this.pScalePerSample = pScalePerSample;
        this.orderData = orderData;
        this.cvalData = cvalData;
        this.orderSeg = orderSeg;
        this.cvalSeg = cvalSeg;
    }

    public int[] patchSize() {
        return patchSize.clone();
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        int dim = patchSize.length;
        if (sample.dimension() != dim) {
            throw new IllegalArgumentException("sample is " + sample.dimension() + "D, spatial transform is " + dim
                    + "D");
        }
        boolean modified = false;
        double ax = 0;
        double ay = 0;
        double az = 0;
        double scale = 1;
        if (rng.nextDouble() < pRotPerSample) {
            ax = rng.nextDouble() <= pRotPerAxis ? RandomDraws.uniform(rng, angleX[0], angleX[1]) : 0;
            if (dim == 3) {
                ay = rng.nextDouble() <= pRotPerAxis ? RandomDraws.uniform(rng, angleY[0], angleY[1]) : 0;
                az = rng.nextDouble() <= pRotPerAxis ? RandomDraws.uniform(rng, angleZ[0], angleZ[1]) : 0;
            }
            modified = true;
        }
        if (rng.nextDouble() < pScalePerSample) {
            scale = RandomDraws.aroundOne(rng, scaleRange[0], scaleRange[1]);
            modified = true;
        }
        return modified ? resample(sample, ax, ay, az, scale) : centerCrop(sample, patchSize);
    }

    /**
     * Rotates (x, then y, then z as in rotate_coords_3d: coords . Rx . Ry . Rz) and scales the centred grid, then
     * interpolates at the input patch centre {@code shape / 2 - 0.5}. Angles in radians; ay, az ignored in 2D.
     */
    public Sample resample(Sample sample, double ax, double ay, double az, double scale) {
        int dim = patchSize.length;
        double[][] m = dim == 3 ? rotation3d(ax, ay, az) : rotation2d(ax);
        int n = Sample.voxelCount(patchSize);
        double[][] coords = new double[dim][n];
        int[] inShape = sample.shape();
        double[] center = new double[dim];
        double[] outCenter = new double[dim];
        for (int d = 0; d < dim; d++) {
            center[d] = inShape[d] / 2.0 - 0.5;
            outCenter[d] = (patchSize[d] - 1) / 2.0;
        }
        int[] idx = new int[dim];
        double[] c = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                c[d] = idx[d] - outCenter[d];
            }
            for (int j = 0; j < dim; j++) {
                double r = 0;
                for (int d = 0; d < dim; d++) {
                    r += c[d] * m[d][j];
                }
                coords[j][i] = r * scale + center[j];
            }
            for (int d = dim - 1; d >= 0; d--) {
                if (++idx[d] < patchSize[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        float[][] data = new float[sample.data().length][];
        for (int ch = 0; ch < data.length; ch++) {
            data[ch] = MapCoordinates.map(sample.data()[ch], inShape, coords, orderData, BorderMode.CONSTANT,
                    cvalData);
        }
        float[][] seg = new float[sample.seg().length][];
        for (int ch = 0; ch < seg.length; ch++) {
            seg[ch] = MapCoordinates.mapLabels(sample.seg()[ch], inShape, coords, orderSeg, BorderMode.CONSTANT,
                    cvalSeg);
        }
        return new Sample(data, seg, patchSize.clone());
    }

    /** crop_and_pad_augmentations.center_crop: lower bound (in - out) // 2, zero padding where the input is short. */
    static Sample centerCrop(Sample sample, int[] patchSize) {
        int dim = patchSize.length;
        int[] inShape = sample.shape();
        int[] lb = new int[dim];
        for (int d = 0; d < dim; d++) {
            lb[d] = Math.floorDiv(inShape[d] - patchSize[d], 2);
        }
        float[][] data = new float[sample.data().length][];
        for (int ch = 0; ch < data.length; ch++) {
            data[ch] = crop(sample.data()[ch], inShape, patchSize, lb);
        }
        float[][] seg = new float[sample.seg().length][];
        for (int ch = 0; ch < seg.length; ch++) {
            seg[ch] = crop(sample.seg()[ch], inShape, patchSize, lb);
        }
        return new Sample(data, seg, patchSize.clone());
    }

    private static float[] crop(float[] in, int[] inShape, int[] outShape, int[] lb) {
        int dim = outShape.length;
        int[] inStrides = MapCoordinates.strides(inShape);
        float[] out = new float[Sample.voxelCount(outShape)];
        int[] idx = new int[dim];
        for (int i = 0; i < out.length; i++) {
            int src = 0;
            boolean inside = true;
            for (int d = 0; d < dim; d++) {
                int s = idx[d] + lb[d];
                if (s < 0 || s >= inShape[d]) {
                    inside = false;
                    break;
                }
                src += s * inStrides[d];
            }
            out[i] = inside ? in[src] : 0f;
            for (int d = dim - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    /** I . Rx(ax) . Ry(ay) . Rz(az), batchgenerators create_matrix_rotation_{x,y,z}_3d. */
    static double[][] rotation3d(double ax, double ay, double az) {
        double[][] rx = {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}};
        double[][] ry = {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}};
        double[][] rz = {{Math.cos(az), -Math.sin(az), 0}, {Math.sin(az), Math.cos(az), 0}, {0, 0, 1}};
        return multiply(multiply(rx, ry), rz);
    }

    static double[][] rotation2d(double angle) {
        return new double[][]{{Math.cos(angle), -Math.sin(angle)}, {Math.sin(angle), Math.cos(angle)}};
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i][k] * b[k][j];
                }
                r[i][j] = s;
            }
        }
        return r;
    }
}
