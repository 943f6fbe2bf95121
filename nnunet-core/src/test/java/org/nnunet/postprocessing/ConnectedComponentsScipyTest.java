package org.nnunet.postprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.io.TempDir;

class ConnectedComponentsScipyTest {

    @Test
    @DisplayName("scipy.ndimage.label (default structure): same label map on a random 3D mask")
    void sameAsScipy(@TempDir Path dir) throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)));
        int[] shape = {12, 15, 17};
        int n = shape[0] * shape[1] * shape[2];
        boolean[] mask = new boolean[n];
        java.util.Random r = new java.util.Random(7);
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            mask[i] = r.nextDouble() < 0.35;
            bytes[i] = (byte) (mask[i] ? 1 : 0);
        }
        Path in = dir.resolve("mask.u8");
        Path out = dir.resolve("labels.i32");
        Files.write(in, bytes);
        String script = "import numpy as np; from scipy.ndimage import label; m = np.fromfile('" + in
                + "', np.uint8).reshape(" + shape[0] + "," + shape[1] + "," + shape[2] + "); l, k = label(m.astype(int)); "
                + "l.astype('<i4').tofile('" + out + "'); print(k)";
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), log);
        int[] expected = new int[n];
        ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(expected);
        ConnectedComponents.Result res = ConnectedComponents.label(mask, shape);
        assertEquals(Integer.parseInt(log), res.count());
        assertArrayEquals(expected, res.labelMap());
    }
}
