package org.nnunet.planning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes plans as indented JSON (nnU-Net v1 pickles them: {@code nnUNetPlansv2.1_plans_3D.pkl}). */
public final class PlansIO {
    public static final String PLANS_3D = "nnUNetPlansv2.1_plans_3D.json";
    public static final String PLANS_2D = "nnUNetPlansv2.1_plans_2D.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlansIO() {}

    public static void write(Plans plans, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        JSON.writeValue(tmp.toFile(), plans);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Plans read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), Plans.class);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read plans: " + e.getMessage(), e);
        }
    }
}
