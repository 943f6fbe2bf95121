package org.nnunet.planning;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.cropping.RawCase;

/**
 * The Decathlon Task04_Hippocampus training cases read in place from {@code nnunet.shared.dir} (3D single-modality
 * files, so every case is one image and one label; the case id is the file name without {@code .nii.gz}).
 */
public final class HippocampusData {
    public final Path root;
    public final List<RawCase> cases = new ArrayList<>();
    public final Map<String, String> labels = new LinkedHashMap<>();
    public final Map<Integer, String> modalities = new LinkedHashMap<>();

    private HippocampusData(Path root) throws IOException {
        this.root = root;
        JsonNode json = new ObjectMapper().readTree(root.resolve("dataset.json").toFile());
        json.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        json.get("modality").fields().forEachRemaining(
                e -> modalities.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        for (JsonNode t : json.get("training")) {
            Path image = root.resolve(t.get("image").asText()).normalize();
            Path label = root.resolve(t.get("label").asText()).normalize();
            String name = image.getFileName().toString();
            cases.add(new RawCase(name.substring(0, name.length() - ".nii.gz".length()), List.of(image), label));
        }
    }

    /** Skips the calling test (assumption) when the shared data folder is absent. */
    public static HippocampusData loadOrSkip() throws IOException {
        Path root = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isRegularFile(root.resolve("dataset.json")), "no Hippocampus data at " + root);
        return new HippocampusData(root);
    }
}
