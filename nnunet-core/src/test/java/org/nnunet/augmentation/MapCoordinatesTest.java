package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cross-checks against scipy.ndimage.map_coordinates / gaussian_filter and skimage resize (the reference). */
class MapCoordinatesTest {

    /** Every (order, mode) combination in one python run: orders 0, 1, 3 times modes constant, nearest. */
    private static final String MAP_SCRIPT = """
            import sys, numpy as np
            from scipy.ndimage import map_coordinates
            meta = np.fromfile(sys.argv[1]); img = np.fromfile(sys.argv[2]); crd = np.fromfile(sys.argv[3])
            rank, cval = int(meta[0]), meta[1]
            shape = tuple(int(s) for s in meta[2:2 + rank])
            img = img.reshape(shape).astype(np.float32).astype(float)
            crd = crd.reshape(rank, -1)
            res = [map_coordinates(img, crd, order=o, mode=m, cval=cval)
                   for o in (0, 1, 3) for m in ('constant', 'nearest')]
            np.concatenate(res).astype(np.float64).tofile(sys.argv[-1])
            """;

    private static final String LABEL_SCRIPT = """
            import sys, numpy as np
            from scipy.ndimage import map_coordinates
            meta = np.fromfile(sys.argv[1]); img = np.fromfile(sys.argv[2]); crd = np.fromfile(sys.argv[3])
            rank, cval = int(meta[0]), meta[1]
            shape = tuple(int(s) for s in meta[2:2 + rank])
            img = img.reshape(shape).astype(np.float32); crd = crd.reshape(rank, -1)
            # batchgenerators interpolate_img(is_seg=True), order 1
            result = np.zeros(crd.shape[1:], img.dtype)
            for c in np.unique(img):
                res_new = map_coordinates((img == c).astype(float), crd, order=1, mode='constant', cval=cval)
                result[res_new >= 0.5] = c
            result.astype(np.float64).tofile(sys.argv[-1])
            """;

    @Test
    @DisplayName("map_coordinates orders 0/1/3, modes constant/nearest, 2D and 3D match scipy within 1e-4")
    void matchesScipy() throws Exception {
        PythonOracle.assumeAvailable();
        SplittableRandom rng = new SplittableRandom(42);
        int[][] shapes = {{7, 9, 6}, {11, 8}};
        for (int[] shape : shapes) {
            float[] img = randomImage(shape, rng);
            double[][] coords = randomCoords(shape, 300, rng);
            double[] meta = new double[2 + shape.length];
            meta[0] = shape.length;
            meta[1] = -0.5;
            for (int d = 0; d < shape.length; d++) {
                meta[2 + d] = shape[d];
            }
            double[] ref = PythonOracle.run(MAP_SCRIPT, meta, PythonOracle.toDouble(img), flatten(coords));
            int n = coords[0].length;
            int block = 0;
            for (int order : new int[]{0, 1, 3}) {
                for (BorderMode mode : new BorderMode[]{BorderMode.CONSTANT, BorderMode.NEAREST}) {
                    float[] ours = MapCoordinates.map(img, shape, coords, order, mode, -0.5);
                    for (int i = 0; i < n; i++) {
                        assertEquals(ref[block * n + i], ours[i], 1e-4,
                                "order " + order + " " + mode + " rank " + shape.length + " point " + i);
                    }
                    block++;
                }
            }
        }
    }

    @Test
    @DisplayName("batchgenerators interpolate_img(is_seg=True, order 1, cval -1) matches the per-label scipy loop")
    void labelInterpolationMatchesBatchgenerators() throws Exception {
        PythonOracle.assumeAvailable();
        SplittableRandom rng = new SplittableRandom(7);
        int[] shape = {6, 7, 8};
        float[] seg = new float[6 * 7 * 8];
        for (int i = 0; i < seg.length; i++) {
            seg[i] = rng.nextInt(4) - 1;
        }
        double[][] coords = randomCoords(shape, 400, rng);
        // a few exact ties at voxel midpoints
        for (int i = 0; i < 20; i++) {
            coords[0][i] = 2;
            coords[1][i] = 3;
            coords[2][i] = 1.5 + i % 5;
        }
        float[] ours = MapCoordinates.mapLabels(seg, shape, coords, 1, BorderMode.CONSTANT, -1);
        double[] ref = PythonOracle.run(LABEL_SCRIPT, new double[]{3, -1, 6, 7, 8}, PythonOracle.toDouble(seg),
                flatten(coords));
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], ours[i], 0.0, "point " + i);
        }
    }

    @Test
    @DisplayName("skimage resize (mode edge, no anti-aliasing): order 0 down, order 3 up match within 1e-4")
    void resizeMatchesSkimage() throws Exception {
        PythonOracle.assumeAvailable();
        String script = """
                import sys, numpy as np
                from skimage.transform import resize
                meta = np.fromfile(sys.argv[1]); img = np.fromfile(sys.argv[2])
                rank, order = int(meta[0]), int(meta[1])
                shape = tuple(int(s) for s in meta[2:2 + rank]); out = tuple(int(s) for s in meta[2 + rank:])
                res = resize(img.reshape(shape), out, order=order, mode='edge', anti_aliasing=False)
                res.astype(np.float64).tofile(sys.argv[-1])
                """;
        SplittableRandom rng = new SplittableRandom(3);
        int[] shape = {9, 12, 10};
        double[] img = PythonOracle.toDouble(randomImage(shape, rng));
        int[][] cases = {{5, 7, 6}, {9, 6, 5}};
        for (int[] target : cases) {
            double[] down = Resize.resize(img, shape, target, 0);
            double[] refDown = PythonOracle.run(script, meta(3, 0, shape, target), img);
            assertArrayEquals(refDown, down, 1e-12, "order 0 to " + java.util.Arrays.toString(target));
            double[] up = Resize.resize(down, target, shape, 3);
            double[] refUp = PythonOracle.run(script, meta(3, 3, target, shape), down);
            assertArrayEquals(refUp, up, 1e-4, "order 3 from " + java.util.Arrays.toString(target));
        }
    }

    @Test
    @DisplayName("gaussian_filter (reflect, truncate 4) matches scipy within 1e-5")
    void gaussianMatchesScipy() throws Exception {
        PythonOracle.assumeAvailable();
        String script = """
                import sys, numpy as np
                from scipy.ndimage import gaussian_filter
                meta = np.fromfile(sys.argv[1]); img = np.fromfile(sys.argv[2])
                shape = tuple(int(s) for s in meta[3:]); img = img.reshape(shape).astype(np.float32)
                res = [gaussian_filter(img, s, order=0) for s in meta[:3]]
                np.concatenate([r.ravel() for r in res]).astype(np.float64).tofile(sys.argv[-1])
                """;
        int[] shape = {5, 9, 3};
        double[] sigmas = {0.5, 0.77, 1.0};
        float[] img = randomImage(shape, new SplittableRandom(5));
        double[] ref = PythonOracle.run(script, new double[]{sigmas[0], sigmas[1], sigmas[2], 5, 9, 3},
                PythonOracle.toDouble(img));
        for (int k = 0; k < sigmas.length; k++) {
            float[] ours = img.clone();
            GaussianFilter.filterInPlace(ours, shape, sigmas[k]);
            for (int i = 0; i < ours.length; i++) {
                assertEquals(ref[k * ours.length + i], ours[i], 1e-5, "sigma " + sigmas[k] + " voxel " + i);
            }
        }
    }

    @Test
    @DisplayName("cubic interpolation reproduces the samples at integer coordinates")
    void cubicInterpolatesNodes() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] shape = {5, 6, 7};
        float[] img = randomImage(shape, rng);
        double[][] coords = new double[3][img.length];
        int i = 0;
        for (int z = 0; z < 5; z++) {
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 7; x++) {
                    coords[0][i] = z;
                    coords[1][i] = y;
                    coords[2][i] = x;
                    i++;
                }
            }
        }
        assertArrayEquals(img, MapCoordinates.map(img, shape, coords, 3, BorderMode.CONSTANT, 0), 1e-5f);
    }

    private static double[] meta(int rank, int order, int[] shape, int[] out) {
        double[] m = new double[2 + 2 * rank];
        m[0] = rank;
        m[1] = order;
        for (int d = 0; d < rank; d++) {
            m[2 + d] = shape[d];
            m[2 + rank + d] = out[d];
        }
        return m;
    }

    static float[] randomImage(int[] shape, SplittableRandom rng) {
        float[] img = new float[Sample.voxelCount(shape)];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return img;
    }

    private static double[][] randomCoords(int[] shape, int n, SplittableRandom rng) {
        double[][] c = new double[shape.length][n];
        for (int d = 0; d < shape.length; d++) {
            for (int i = 0; i < n; i++) {
                // mostly inside, some up to 1.5 voxels outside to exercise the borders
                c[d][i] = rng.nextDouble() * (shape[d] + 2) - 1.5;
            }
        }
        return c;
    }

    private static double[] flatten(double[][] c) {
        double[] f = new double[c.length * c[0].length];
        for (int d = 0; d < c.length; d++) {
            System.arraycopy(c[d], 0, f, d * c[0].length, c[0].length);
        }
        return f;
    }
}
