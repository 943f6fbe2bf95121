package org.nnunet.cropping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;
import org.nnunet.util.NpyWriter;

/**
 * The {@code nnUNet_cropped_data/TaskXXX} folder. Per case: {@code CASE.npy}, float32 (c + 1, z, y, x) with the
 * segmentation as the last channel (nnU-Net: {@code CASE.npz} key {@code data}, same layout), and
 * {@code CASE.json} with the {@link CaseProperties} (nnU-Net: {@code CASE.pkl}).
 */
public record CroppedDataFolder(Path dir) {
    public static final String DATA_SUFFIX = ".npy";
    public static final String PROPERTIES_SUFFIX = ".json";
    /** Fingerprint written by the dataset analyzer (nnU-Net: {@code dataset_properties.pkl}). */
    public static final String DATASET_PROPERTIES = "dataset_properties.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Path dataFile(String caseId) {
        return dir.resolve(caseId + DATA_SUFFIX);
    }

    public Path propertiesFile(String caseId) {
        return dir.resolve(caseId + PROPERTIES_SUFFIX);
    }

    public Path gtSegmentationsDir() {
        return dir.resolve("gt_segmentations");
    }

    public boolean contains(String caseId) {
        return Files.isRegularFile(dataFile(caseId)) && Files.isRegularFile(propertiesFile(caseId));
    }

    /** Case ids with a stored data file, sorted (nnU-Net's {@code subfiles(..., sort=True)} order). */
    public List<String> caseIds() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("cropped data folder " + dir + " does not exist");
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(DATA_SUFFIX)).sorted()
                    .forEach(n -> ids.add(n.substring(0, n.length() - DATA_SUFFIX.length())));
        }
        return ids;
    }

    public void write(CroppedCase c) throws IOException {
        int[] s = c.shape();
        List<float[]> parts = new ArrayList<>(c.channels());
        parts.add(c.seg());
        NpyWriter.write(dataFile(c.caseId()), new int[] {parts.size(), s[0], s[1], s[2]},
                parts.toArray(new float[0][]));
        writeProperties(c.caseId(), c.properties());
    }

    public void writeProperties(String caseId, CaseProperties p) throws IOException {
        Path target = propertiesFile(caseId);
        Path tmp = Files.createTempFile(dir, caseId, ".tmp");
        JSON.writeValue(tmp.toFile(), p);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public CaseProperties readProperties(String caseId) throws IOException {
        Path f = propertiesFile(caseId);
        try {
            return JSON.readValue(f.toFile(), CaseProperties.class);
        } catch (IOException e) {
            throw new IOException(f + ": cannot read case properties: " + e.getMessage(), e);
        }
    }

    /** The stored (c + 1, z, y, x) array: image channels, then the segmentation. */
    public NpyArray readData(String caseId) throws IOException {
        return NpyReader.read(dataFile(caseId));
    }
}
