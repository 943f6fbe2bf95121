package org.nnunet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SurfaceDistanceTest {

    private static boolean[] box(int[] shape, int[] lo, int[] hi) {
        boolean[] m = new boolean[shape[0] * shape[1] * shape[2]];
        for (int z = lo[0]; z < hi[0]; z++) {
            for (int y = lo[1]; y < hi[1]; y++) {
                for (int x = lo[2]; x < hi[2]; x++) {
                    m[(z * shape[1] + y) * shape[2] + x] = true;
                }
            }
        }
        return m;
    }

    @Test
    @DisplayName("medpy hd95: two single voxels 3 apart in x with x spacing 0.5 -> 1.5 mm; 2 apart in z at 3 mm -> 6")
    void singleVoxels() {
        int[] shape = {6, 7, 9};
        double[] spacing = {3, 1, 0.5};
        boolean[] a = box(shape, new int[] {2, 3, 4}, new int[] {3, 4, 5});
        boolean[] b = box(shape, new int[] {2, 3, 7}, new int[] {3, 4, 8});
        assertEquals(1.5, SurfaceDistance.hausdorff95(a, b, shape, spacing), 1e-12);
        boolean[] c = box(shape, new int[] {4, 3, 4}, new int[] {5, 4, 5});
        assertEquals(6.0, SurfaceDistance.hausdorff95(a, c, shape, spacing), 1e-12);
    }

    @Test
    @DisplayName("medpy hd95: identical masks -> 0")
    void identical() {
        int[] shape = {8, 8, 8};
        boolean[] a = box(shape, new int[] {1, 2, 3}, new int[] {6, 7, 7});
        assertEquals(0.0, SurfaceDistance.hausdorff95(a, a, shape, new double[] {1, 2, 3}));
    }

    @Test
    @DisplayName("medpy hd95: cubes offset by 3 voxels, anisotropic spacing, equal to scipy erosion + EDT + percentile")
    void offsetCubesMatchScipy() throws IOException, InterruptedException {
        int[] shape = {14, 16, 18};
        double[] spacing = {2.5, 0.8, 0.6};
        boolean[] a = box(shape, new int[] {3, 4, 4}, new int[] {10, 12, 12});
        boolean[] b = box(shape, new int[] {4, 4, 7}, new int[] {11, 12, 15});
        double ours = SurfaceDistance.hausdorff95(a, b, shape, spacing);
        double scipy = scipyHd95(shape, spacing, new int[] {3, 4, 4, 10, 12, 12}, new int[] {4, 4, 7, 11, 12, 15});
        assertEquals(scipy, ours, 1e-9);
        // a sphere against a shifted box touching the image border
        String sphere = "np.sum(((np.indices(s) - np.array([6, 8, 9])[:, None, None, None]) * "
                + "np.array(sp)[:, None, None, None]) ** 2, 0) <= 5.5 ** 2";
        double scipySphere = scipyHd95Expr(shape, spacing, sphere, "box((0, 5, 2), (8, 16, 10))");
        boolean[] s = new boolean[a.length];
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    double dz = (z - 6) * spacing[0];
                    double dy = (y - 8) * spacing[1];
                    double dx = (x - 9) * spacing[2];
                    s[(z * shape[1] + y) * shape[2] + x] = dz * dz + dy * dy + dx * dx <= 5.5 * 5.5;
                }
            }
        }
        boolean[] c = box(shape, new int[] {0, 5, 2}, new int[] {8, 16, 10});
        assertEquals(scipySphere, SurfaceDistance.hausdorff95(s, c, shape, spacing), 1e-9);
    }

    private static double scipyHd95(int[] shape, double[] sp, int[] a, int[] b) throws IOException, InterruptedException {
        return scipyHd95Expr(shape, sp, "box((" + a[0] + "," + a[1] + "," + a[2] + "), (" + a[3] + "," + a[4] + ","
                + a[5] + "))", "box((" + b[0] + "," + b[1] + "," + b[2] + "), (" + b[3] + "," + b[4] + "," + b[5] + "))");
    }

    /** medpy's __surface_distances / hd95, written out with scipy (medpy is not installed). */
    private static double scipyHd95Expr(int[] shape, double[] sp, String exprA, String exprB)
            throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "python with scipy not found at " + python);
        Path out = Files.createTempFile("hd95", ".f64");
        String script = String.join("\n",
                "import numpy as np",
                "from scipy.ndimage import binary_erosion, generate_binary_structure, distance_transform_edt",
                "s = (" + shape[0] + "," + shape[1] + "," + shape[2] + ")",
                "sp = (" + sp[0] + "," + sp[1] + "," + sp[2] + ")",
                "def box(lo, hi):",
                "    m = np.zeros(s, bool)",
                "    m[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]] = True",
                "    return m",
                "def sds(r, ref):",
                "    fp = generate_binary_structure(3, 1)",
                "    rb = r ^ binary_erosion(r, structure=fp, iterations=1)",
                "    fb = ref ^ binary_erosion(ref, structure=fp, iterations=1)",
                "    return distance_transform_edt(~fb, sampling=sp)[rb]",
                "a = " + exprA,
                "b = " + exprB,
                "np.array([np.percentile(np.hstack((sds(a, b), sds(b, a))), 95)]).astype('<f8').tofile('" + out + "')");
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        double v = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).getDouble();
        Files.delete(out);
        return v;
    }
}
