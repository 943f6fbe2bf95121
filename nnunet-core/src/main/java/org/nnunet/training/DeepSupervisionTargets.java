package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The segmentation targets for each deep-supervision output, as v1's {@code DownsampleSegForDSTransform2} with
 * nnUNetTrainerV2's scales: {@code [[1, ...]] + 1 / cumprod(pool_kernels)[:-1]} (one scale per network output)
 * and interpolation order 0. Each level is {@code resize_segmentation(seg, round(shape * scale), order=0)}, i.e.
 * skimage {@code resize(order=0, mode='edge')}: output voxel o takes input voxel
 * {@code floor((o + 0.5) * in / out - 0.5 + 0.5)} per axis (for a factor 2 that is every odd voxel: 1, 3, 5, ...).
 */
public final class DeepSupervisionTargets {

    private DeepSupervisionTargets() {
    }

    /** Per output: the downsampling factor per spatial axis (1 for the full resolution). */
    public static int[][] factors(int[][] poolKernels) {
        int dims = poolKernels[0].length;
        int[][] f = new int[poolKernels.length][dims];
        Arrays.fill(f[0], 1);
        for (int i = 1; i < poolKernels.length; i++) {
            for (int a = 0; a < dims; a++) {
                f[i][a] = f[i - 1][a] * poolKernels[i - 1][a];
            }
        }
        return f;
    }

    /**
     * The target list for a batch: {@code seg} {@code [N, 1, spatial...]} at full resolution first, then one per
     * coarser output. New arrays are created in {@code manager}.
     */
    public static List<NDArray> downsample(NDArray seg, int[][] poolKernels, NDManager manager) {
        Shape shape = seg.getShape();
        int dims = shape.dimension() - 2;
        if (dims != poolKernels[0].length) {
            throw new IllegalArgumentException("seg " + shape + " does not match " + poolKernels[0].length
                    + "d pool kernels");
        }
        int[] full = new int[shape.dimension()];
        for (int i = 0; i < full.length; i++) {
            full[i] = (int) shape.get(i);
        }
        float[] data = null;
        List<NDArray> out = new ArrayList<>();
        out.add(seg);
        int[][] factors = factors(poolKernels);
        for (int level = 1; level < factors.length; level++) {
            if (data == null) {
                data = seg.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            }
            int[] target = full.clone();
            for (int a = 0; a < dims; a++) {
                // np.round (half to even) of shape * (1 / factor)
                target[2 + a] = (int) Math.rint(full[2 + a] * (1.0 / factors[level][a]));
            }
            float[] small = nearest(data, full, target);
            long[] s = Arrays.stream(target).asLongStream().toArray();
            out.add(manager.create(small, new Shape(s)).toType(seg.getDataType(), false));
        }
        return out;
    }

    /** Order-0 resize of a C-order {@code [N, C, spatial...]} array to {@code newShape} (same N and C). */
    static float[] nearest(float[] data, int[] shape, int[] newShape) {
        int rank = shape.length;
        int[][] source = new int[rank][];
        for (int a = 0; a < rank; a++) {
            source[a] = new int[newShape[a]];
            for (int o = 0; o < newShape[a]; o++) {
                source[a][o] = a < 2 ? o : sourceIndex(o, shape[a], newShape[a]);
            }
        }
        int[] inStride = new int[rank];
        inStride[rank - 1] = 1;
        for (int a = rank - 2; a >= 0; a--) {
            inStride[a] = inStride[a + 1] * shape[a + 1];
        }
        int total = 1;
        for (int v : newShape) {
            total *= v;
        }
        float[] out = new float[total];
        int[] idx = new int[rank];
        for (int i = 0; i < total; i++) {
            int offset = 0;
            for (int a = 0; a < rank; a++) {
                offset += source[a][idx[a]] * inStride[a];
            }
            out[i] = data[offset];
            for (int a = rank - 1; a >= 0; a--) {
                if (++idx[a] < newShape[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    /** scipy's order-0 zoom with grid_mode (as skimage resize): nearest input to the output voxel's centre. */
    static int sourceIndex(int o, int in, int out) {
        double c = (o + 0.5) * ((double) in / out) - 0.5;
        int i = (int) Math.floor(c + 0.5);
        return Math.max(0, Math.min(in - 1, i));
    }
}
