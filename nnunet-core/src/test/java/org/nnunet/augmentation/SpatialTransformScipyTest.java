package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * augment_spatial's coordinate path (create_zero_centered_coordinate_mesh, rotate_coords_3d/2d with
 * np.dot(coords.reshape(n, -1).T, R).T, scale_coords, ctr = shape / 2 - 0.5) and interpolate_img, written in numpy
 * as batchgenerators has them, against {@link SpatialTransform#resample}.
 */
class SpatialTransformScipyTest {

    private static final String SCRIPT = """
            import sys, numpy as np
            from scipy.ndimage import map_coordinates
            meta = np.fromfile(sys.argv[1]); data = np.fromfile(sys.argv[2]); seg = np.fromfile(sys.argv[3])
            dim = int(meta[0]); ax, ay, az, sc = meta[1:5]
            shape = tuple(int(s) for s in meta[5:5 + dim]); patch = tuple(int(s) for s in meta[5 + dim:5 + 2 * dim])
            data = data.reshape(shape).astype(np.float32); seg = seg.reshape(shape).astype(np.float32)
            tmp = tuple([np.arange(i) for i in patch])
            coords = np.array(np.meshgrid(*tmp, indexing='ij')).astype(float)
            for d in range(dim):
                coords[d] -= ((np.array(patch).astype(float) - 1) / 2.)[d]
            def rx(a): return np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
            def ry(a): return np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
            def rz(a): return np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
            if dim == 3:
                rot = np.dot(np.dot(np.dot(np.identity(3), rx(ax)), ry(ay)), rz(az))
            else:
                rot = np.array([[np.cos(ax), -np.sin(ax)], [np.sin(ax), np.cos(ax)]])
            coords = np.dot(coords.reshape(len(coords), -1).transpose(), rot).transpose().reshape(coords.shape)
            coords = coords * sc
            ctr = np.array(shape) / 2. - 0.5
            for d in range(dim):
                coords[d] += ctr[d]
            d_out = map_coordinates(data.astype(float), coords, order=3, mode='constant', cval=0).astype(np.float32)
            s_out = np.zeros(coords.shape[1:], seg.dtype)
            for c in np.unique(seg):
                r = map_coordinates((seg == c).astype(float), coords, order=1, mode='constant', cval=-1)
                s_out[r >= 0.5] = c
            np.concatenate([d_out.ravel(), s_out.ravel()]).astype(np.float64).tofile(sys.argv[-1])
            """;

    @Test
    @DisplayName("SpatialTransform.resample equals batchgenerators augment_spatial (numpy) in 3D and 2D")
    void matchesAugmentSpatial() throws Exception {
        PythonOracle.assumeAvailable();
        check(new int[]{15, 18, 14}, new int[]{8, 10, 9}, 0.4, -0.3, 0.25, 1.2, 1);
        check(new int[]{15, 18, 14}, new int[]{8, 10, 9}, -0.5, 0.1, 0.0, 0.75, 2);
        check(new int[]{20, 17}, new int[]{12, 10}, 2.5, 0, 0, 0.9, 3);
    }

    private static void check(int[] shape, int[] patch, double ax, double ay, double az, double scale, long seed)
            throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] data = MapCoordinatesTest.randomImage(shape, rng);
        float[] seg = new float[data.length];
        for (int i = 0; i < seg.length; i++) {
            seg[i] = rng.nextInt(4) - 1;
        }
        int dim = shape.length;
        double[] meta = new double[5 + 2 * dim];
        meta[0] = dim;
        meta[1] = ax;
        meta[2] = ay;
        meta[3] = az;
        meta[4] = scale;
        for (int d = 0; d < dim; d++) {
            meta[5 + d] = shape[d];
            meta[5 + dim + d] = patch[d];
        }
        double[] ref = PythonOracle.run(SCRIPT, meta, PythonOracle.toDouble(data), PythonOracle.toDouble(seg));
        SpatialTransform t = new SpatialTransform(patch, new double[]{0, 0}, new double[]{0, 0}, new double[]{0, 0},
                0, 1, new double[]{1, 1}, 0, 3, 0, 1, -1);
        Sample out = t.resample(new Sample(new float[][]{data}, new float[][]{seg}, shape), ax, ay, az, scale);
        int n = out.voxels();
        for (int i = 0; i < n; i++) {
            assertEquals(ref[i], out.data()[0][i], 1e-4, "data voxel " + i);
            assertEquals(ref[n + i], out.seg()[0][i], 0.0, "seg voxel " + i);
        }
    }
}
