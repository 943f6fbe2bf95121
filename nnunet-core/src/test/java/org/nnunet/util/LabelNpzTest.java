package org.nnunet.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cascade's {@code <case>_segFromPrevStage.npz} as v1 {@code np.savez_compressed(f, data=seg.astype(np.uint8))}
 * writes it: numpy reads ours, we read numpy's.
 */
class LabelNpzTest {

    @TempDir
    Path dir;

    private static String python() {
        return System.getProperty("nnunet.python", "/usr/bin/python3");
    }

    private static String runPython(String script, String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(python())), "python with numpy not found at " + python());
        String[] cmd = new String[args.length + 3];
        cmd[0] = python();
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }

    @Test
    @DisplayName("uint8 label npz: numpy.load(f)['data'] gives our labels, dtype uint8, shape (z, y, x); and back")
    void numpyRoundTrip() throws IOException, InterruptedException {
        Path ours = dir.resolve("a_segFromPrevStage.npz");
        int[] labels = {0, 1, 2, 3, 255, 0};
        LabelNpz.write(ours, new int[] {1, 2, 3}, labels);
        String seen = runPython("""
                import sys, numpy as np
                a = np.load(sys.argv[1])['data']
                print(a.dtype, a.shape, ' '.join(str(v) for v in a.ravel()))
                """, ours.toString());
        assertEquals("uint8 (1, 2, 3) 0 1 2 3 255 0", seen);

        Path theirs = dir.resolve("b_segFromPrevStage.npz");
        runPython("""
                import sys, numpy as np
                np.savez_compressed(sys.argv[1], data=np.arange(24).reshape(2, 3, 4).astype(np.uint8))
                """, theirs.toString());
        NpyArray a = LabelNpz.read(theirs);
        assertArrayEquals(new int[] {2, 3, 4}, a.shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(i, a.data()[i]);
        }
    }

    @Test
    @DisplayName("labels outside uint8 and an npz without 'data' are refused, naming the file")
    void errors() throws IOException {
        Path f = dir.resolve("bad.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabelNpz.write(f, new int[] {1, 1, 1}, new int[] {-1}));
        assertTrue(e.getMessage().contains("bad.npz"), e.getMessage());
        org.nnunet.inference.SoftmaxFiles.write(new org.nnunet.inference.SoftmaxVolume(1, new int[] {1, 1, 1},
                new float[] {1}), f, false);
        IOException io = assertThrows(IOException.class, () -> LabelNpz.read(f));
        assertTrue(io.getMessage().contains("bad.npz") && io.getMessage().contains("'data'"), io.getMessage());
    }
}
