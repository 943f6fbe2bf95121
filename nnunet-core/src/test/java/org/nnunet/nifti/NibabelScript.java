package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Runs src/test/resources/org/nnunet/nifti/nibabel_check.py with the Debian python (property nnunet.python). */
public final class NibabelScript {
    public static final Path PYTHON = Path.of(System.getProperty("nnunet.python", "/usr/bin/python3"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private NibabelScript() {}

    public static boolean available() {
        return Files.isExecutable(PYTHON);
    }

    /** One python process: {@code args} on the command line, {@code stdin} lines in, one JSON object per line out. */
    public static List<JsonNode> run(Path workDir, List<String> args, List<String> stdin) throws IOException,
            InterruptedException {
        Path script = workDir.resolve("nibabel_check.py");
        try (InputStream in = NibabelScript.class.getResourceAsStream("nibabel_check.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(args);
        Path err = workDir.resolve("nibabel_check.err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(String.join("\n", stdin).getBytes(StandardCharsets.UTF_8));
        }
        List<JsonNode> result = new ArrayList<>();
        try (InputStream out = p.getInputStream()) {
            for (String line : new String(out.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    result.add(JSON.readTree(line));
                }
            }
        }
        assertEquals(0, p.waitFor(), () -> "nibabel_check.py failed: " + readQuietly(err));
        return result;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
