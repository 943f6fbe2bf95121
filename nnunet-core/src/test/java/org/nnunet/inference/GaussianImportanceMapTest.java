package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GaussianImportanceMapTest {

    @Test
    @DisplayName("_get_gaussian: 1 at patch//2, symmetric around it, strictly positive")
    void shapeOfTheMap() {
        int[] patch = {9, 11, 7};
        float[] g = GaussianImportanceMap.compute(patch);
        assertEquals(9 * 11 * 7, g.length);
        assertEquals(1f, g[(4 * 11 + 5) * 7 + 3]);
        float max = 0;
        float min = Float.MAX_VALUE;
        for (float v : g) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1f, max);
        assertTrue(min > 0);
        // mirror symmetry around the centre (odd sizes)
        assertEquals(g[(1 * 11 + 5) * 7 + 3], g[(7 * 11 + 5) * 7 + 3]);
        assertEquals(g[(4 * 11 + 2) * 7 + 0], g[(4 * 11 + 8) * 7 + 6]);
    }

    @Test
    @DisplayName("_get_gaussian: equals v1's scipy gaussian_filter map within 1e-6 (3D and 2D patches)")
    void matchesScipy() throws IOException, InterruptedException {
        checkAgainstScipy(new int[] {8, 12, 10});
        checkAgainstScipy(new int[] {40, 56, 40});
        checkAgainstScipy(new int[] {56, 40});
        // sigma 0.25 on the thin axis: radius 1, the map is zero away from the centre before the min-fill
        checkAgainstScipy(new int[] {2, 16, 16});
    }

    private static void checkAgainstScipy(int[] patch) throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "python with scipy not found at " + python);
        Path out = Files.createTempFile("gauss", ".f32");
        String shape = Arrays.toString(patch).replace('[', '(').replace("]", ",)");
        String script = String.join("\n",
                "import numpy as np",
                "from scipy.ndimage import gaussian_filter",
                "p = " + shape,
                "tmp = np.zeros(p)",
                "tmp[tuple(i // 2 for i in p)] = 1",
                "g = gaussian_filter(tmp, [i / 8 for i in p], 0, mode='constant', cval=0)",
                "g = (g / np.max(g)).astype(np.float32)",
                "g[g == 0] = np.min(g[g != 0])",
                "g.astype('<f4').tofile('" + out + "')");
        Process proc = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor(), log);
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(out);
        float[] expected = new float[bytes.length / 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
        float[] actual = GaussianImportanceMap.compute(patch);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "voxel " + i + " of patch " + Arrays.toString(patch));
        }
    }
}
