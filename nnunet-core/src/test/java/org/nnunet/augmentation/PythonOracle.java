package org.nnunet.augmentation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a snippet under the Debian python with scipy/skimage (system property {@code nnunet.python}, default
 * /usr/bin/python3). Arrays travel as little-endian float64 files; the script sees their paths as sys.argv[1:] and
 * writes its result (float64) to the last path.
 */
final class PythonOracle {

    private PythonOracle() {
    }

    static String python() {
        return System.getProperty("nnunet.python", "/usr/bin/python3");
    }

    static void assumeAvailable() {
        assumeTrue(Files.isExecutable(Path.of(python())), "python with scipy not found at " + python());
    }

    static double[] run(String script, double[]... inputs) throws IOException, InterruptedException {
        assumeAvailable();
        Path dir = Files.createTempDirectory("nnunet-oracle");
        try {
            List<String> cmd = new ArrayList<>(List.of(python(), "-c", script));
            for (int i = 0; i < inputs.length; i++) {
                Path p = dir.resolve("in" + i + ".bin");
                ByteBuffer buf = ByteBuffer.allocate(inputs[i].length * 8).order(ByteOrder.LITTLE_ENDIAN);
                buf.asDoubleBuffer().put(inputs[i]);
                Files.write(p, buf.array());
                cmd.add(p.toString());
            }
            Path out = dir.resolve("out.bin");
            cmd.add(out.toString());
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(proc.getInputStream().readAllBytes());
            if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IllegalStateException("python oracle failed: " + log);
            }
            ByteBuffer res = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            double[] result = new double[res.capacity() / 8];
            res.asDoubleBuffer().get(result);
            return result;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
