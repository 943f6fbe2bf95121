package org.nnunet.training;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a script with the Debian python that has numpy / scikit-learn / scikit-image (property nnunet.python). */
public final class PythonReference {

    private PythonReference() {
    }

    public static String run(String script, String stdin) throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(python)), "no reference python at " + python);
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(false).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("python reference failed: " + err);
        }
        return out.trim();
    }
}
