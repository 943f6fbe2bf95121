package org.nnunet.preprocessing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;
import org.nnunet.util.NpyWriter;

/**
 * One stage folder {@code nnUNet_preprocessed/TaskXXX/<data_identifier>_stage<N>}. Per case: {@code CASE.npy},
 * float32 (c + 1, z, y, x) with the segmentation as the last channel (nnU-Net: {@code CASE.npz} key {@code data}),
 * and {@code CASE.json}: the cropping properties plus {@code size_after_resampling},
 * {@code spacing_after_resampling} and {@code class_locations} ({@code {"1": [[z, y, x], ...], ...}}) (nnU-Net:
 * {@code CASE.pkl}).
 */
public record PreprocessedDataFolder(Path dir) {
    public static final String SIZE_AFTER_RESAMPLING = "size_after_resampling";
    public static final String SPACING_AFTER_RESAMPLING = "spacing_after_resampling";
    public static final String CLASS_LOCATIONS = "class_locations";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The folder of stage {@code stage} for {@code dataIdentifier} under a task's preprocessed folder. */
    public static PreprocessedDataFolder stage(Path taskDir, String dataIdentifier, int stage) {
        return new PreprocessedDataFolder(taskDir.resolve(dataIdentifier + "_stage" + stage));
    }

    public Path dataFile(String caseId) {
        return dir.resolve(caseId + ".npy");
    }

    public Path propertiesFile(String caseId) {
        return dir.resolve(caseId + ".json");
    }

    /** Writes both files of a case: the cropping properties (not modified) extended by the three keys above. */
    public void write(String caseId, PreprocessedCase c, ObjectNode croppedProperties) throws IOException {
        Files.createDirectories(dir);
        int[] s = c.shape();
        float[][] parts = new float[c.data().length + 1][];
        System.arraycopy(c.data(), 0, parts, 0, c.data().length);
        parts[parts.length - 1] = c.seg();
        NpyWriter.write(dataFile(caseId), new int[] {parts.length, s[0], s[1], s[2]}, parts);
        Path tmp = Files.createTempFile(dir, caseId, ".tmp");
        // streamed: class_locations can hold a million positions
        try (JsonGenerator g = JSON.getFactory().createGenerator(Files.newBufferedWriter(tmp))) {
            g.writeStartObject();
            Iterator<Map.Entry<String, JsonNode>> fields = croppedProperties.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String k = f.getKey();
                if (!k.equals(SIZE_AFTER_RESAMPLING) && !k.equals(SPACING_AFTER_RESAMPLING)
                        && !k.equals(CLASS_LOCATIONS)) {
                    g.writeFieldName(k);
                    g.writeTree(f.getValue());
                }
            }
            g.writeFieldName(SIZE_AFTER_RESAMPLING);
            g.writeArray(s, 0, s.length);
            g.writeFieldName(SPACING_AFTER_RESAMPLING);
            g.writeArray(c.spacing(), 0, c.spacing().length);
            g.writeObjectFieldStart(CLASS_LOCATIONS);
            for (Map.Entry<Integer, int[][]> e : c.classLocations().entrySet()) {
                g.writeArrayFieldStart(Integer.toString(e.getKey()));
                for (int[] l : e.getValue()) {
                    g.writeArray(l, 0, 3);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        Files.move(tmp, propertiesFile(caseId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The stored (c + 1, z, y, x) array: normalized channels, then the segmentation. */
    public NpyArray readData(String caseId) throws IOException {
        return NpyReader.read(dataFile(caseId));
    }

    public ObjectNode readProperties(String caseId) throws IOException {
        Path f = propertiesFile(caseId);
        try {
            return (ObjectNode) JSON.readTree(f.toFile());
        } catch (IOException | ClassCastException e) {
            throw new IOException(f + ": cannot read preprocessed case properties: " + e.getMessage(), e);
        }
    }

    /** {@code class_locations} of a case: class -> (z, y, x) positions. */
    public Map<Integer, int[][]> readClassLocations(String caseId) throws IOException {
        JsonNode locs = readProperties(caseId).get(CLASS_LOCATIONS);
        if (locs == null) {
            throw new IOException(propertiesFile(caseId) + ": no " + CLASS_LOCATIONS);
        }
        Map<Integer, int[][]> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = locs.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int[][] a = new int[e.getValue().size()][];
            for (int i = 0; i < a.length; i++) {
                JsonNode l = e.getValue().get(i);
                a[i] = new int[] {l.get(0).asInt(), l.get(1).asInt(), l.get(2).asInt()};
            }
            out.put(Integer.parseInt(e.getKey()), a);
        }
        return out;
    }
}
