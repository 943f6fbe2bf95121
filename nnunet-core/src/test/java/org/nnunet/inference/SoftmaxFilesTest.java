package org.nnunet.inference;

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

class SoftmaxFilesTest {
    static final float[] SPECIAL = {0f, -0f, 1f, 0.1f, 1f / 3, 0.99999f, 65504f, 65520f, 1e6f, 6.1e-5f, 5.96e-8f,
        2.98e-8f, 2.99e-8f, 1e-9f, -2.5f, 1.00048828125f, 1.00146484375f, Float.POSITIVE_INFINITY, 3.0e-5f};

    private static String python() {
        String p = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(p)), "python with numpy not found at " + p);
        return p;
    }

    private static String run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python(), "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    @DisplayName("float16 export: same bits as numpy astype(np.float16) (ties to even, subnormals, overflow)")
    void float16MatchesNumpy(@TempDir Path dir) throws IOException, InterruptedException {
        float[] values = new float[SPECIAL.length + 2000];
        System.arraycopy(SPECIAL, 0, values, 0, SPECIAL.length);
        java.util.Random r = new java.util.Random(42);
        for (int i = SPECIAL.length; i < values.length; i++) {
            values[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 8));
        }
        Path in = dir.resolve("in.f32");
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        Files.write(in, b.array());
        Path out = dir.resolve("out.f16");
        run("import numpy as np; np.fromfile('" + in + "', '<f4').astype(np.float16).astype('<f2').tofile('" + out
                + "')");
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            short expected = h.getShort();
            assertEquals(expected, Float16.fromFloat(v), "float16 of " + v);
            assertEquals(Float16.toFloat(expected), Float16.toFloat(Float16.fromFloat(v)));
        }
        assertEquals(1f / 3, Float16.toFloat(Float16.fromFloat(1f / 3)), 1e-3);
    }

    @Test
    @DisplayName("--save_npz: our float16 npz loads in numpy as np.load(f)['softmax'], and numpy's npz loads here")
    void npzRoundTripWithNumpy(@TempDir Path dir) throws IOException, InterruptedException {
        float[] d = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < d.length; i++) {
            d[i] = i / 120f;
        }
        SoftmaxVolume s = new SoftmaxVolume(2, new int[] {3, 4, 5}, d);
        Path npz = dir.resolve("case.npz");
        SoftmaxFiles.write(s, npz, true);
        String out = run("import numpy as np; a = np.load('" + npz + "')['softmax']; "
                + "print(a.dtype, a.shape, float(a[1, 2, 3, 4]), float(a[0, 0, 1, 2]), sep='|')");
        String[] parts = out.split("\\|");
        assertEquals("float16", parts[0]);
        assertEquals("(2, 3, 4, 5)", parts[1]);
        assertEquals(Float16.toFloat(Float16.fromFloat(d[119])), Double.parseDouble(parts[2]));
        assertEquals(Float16.toFloat(Float16.fromFloat(d[7])), Double.parseDouble(parts[3]));
        SoftmaxVolume back = SoftmaxFiles.read(npz);
        assertEquals(Float16.toFloat(Float16.fromFloat(d[59])), back.data()[59]);

        Path theirs = dir.resolve("theirs.npz");
        run("import numpy as np; a = np.arange(24, dtype=np.float32).reshape(1, 2, 3, 4) / 7; "
                + "np.savez_compressed('" + theirs + "', softmax=a)");
        SoftmaxVolume t = SoftmaxFiles.read(theirs);
        assertEquals(1, t.numClasses());
        assertEquals(23f / 7, t.data()[23]);
        Path npy = dir.resolve("f32.npy");
        SoftmaxFiles.write(s, npy, false);
        assertEquals(d[77], SoftmaxFiles.read(npy).data()[77]);
        assertEquals(String.valueOf((double) d[77]), run("import numpy as np; print(float(np.load('" + npy
                + "').ravel()[77]))"));
    }
}
