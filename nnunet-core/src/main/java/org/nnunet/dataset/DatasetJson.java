package org.nnunet.dataset;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The task description {@code dataset.json} of nnU-Net v1 / the Medical Segmentation Decathlon. Paths inside are
 * relative to the task folder and name the case without modality suffix ({@code ./imagesTr/la_003.nii.gz}); the
 * files on disk carry {@code _0000}, {@code _0001}... per modality. Unknown fields are ignored; the Decathlon typo
 * {@code relase} is read as {@code release}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "reference", "licence", "release", "tensorImageSize", "modality", "labels",
        "numTraining", "numTest", "training", "test"})
public record DatasetJson(String name, String description, String reference, String licence,
        @JsonAlias("relase") String release, String tensorImageSize, Map<String, String> modality,
        Map<String, String> labels, int numTraining, int numTest, List<TrainingCase> training, List<String> test) {

    /** One training entry: image (without modality suffix) and label, relative to the task folder. */
    public record TrainingCase(String image, String label) {
        public TrainingCase {
            if (image == null || label == null) { // read() reports it as a parse error naming the file
                throw new IllegalArgumentException("dataset.json training entry needs both an image and a label, got"
                        + " image " + image + ", label " + label);
            }
        }
    }

    private static final String NII_GZ = ".nii.gz";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n")));

    public DatasetJson {
        // anyMatch, not contains(null): an immutable List throws on contains(null)
        if (training != null && training.stream().anyMatch(Objects::isNull)
                || test != null && test.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("dataset.json training or test list contains null instead of an entry");
        }
        modality = ordered(modality);
        labels = ordered(labels);
        training = training == null ? List.of() : List.copyOf(training);
        test = test == null ? List.of() : List.copyOf(test);
    }

    /** Reads a dataset.json; the error names the file and what is wrong with it. */
    public static DatasetJson read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("dataset.json not found: " + file);
        }
        try {
            DatasetJson d = MAPPER.readValue(file.toFile(), DatasetJson.class);
            if (d == null) {
                throw new IOException(file + " is empty");
            }
            return d;
        } catch (JacksonException e) {
            throw new IOException("cannot parse " + file + ": " + e.getOriginalMessage(), e);
        } catch (CharConversionException e) { // bytes that look like UTF-32 but are not: Jackson's decoder says so
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes pretty-printed JSON (4-space indent like v1's save_json), replacing the file atomically. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        PRETTY.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @JsonIgnore
    public int numModalities() {
        return modality.size();
    }

    /** Case ids of the training entries, v1's {@code image.split("/")[-1][:-7]}. */
    @JsonIgnore
    public List<String> trainingIdentifiers() {
        return training.stream().map(t -> caseIdentifier(t.image())).toList();
    }

    /** Case ids of the test entries. */
    @JsonIgnore
    public List<String> testIdentifiers() {
        return test.stream().map(DatasetJson::caseIdentifier).toList();
    }

    /** Label values declared by the keys of {@code labels}, in file order. */
    @JsonIgnore
    public List<Integer> labelValues() {
        List<Integer> values = new ArrayList<>();
        for (String key : labels.keySet()) {
            try {
                values.add(Integer.parseInt(key.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dataset.json label key '" + key + "' is not an integer");
            }
        }
        return values;
    }

    /** This description with every case path in nnU-Net's form {@code ./imagesTr/<case>.nii.gz}. */
    public DatasetJson withNnUNetCasePaths() {
        List<TrainingCase> tr = trainingIdentifiers().stream()
                .map(id -> new TrainingCase("./imagesTr/" + id + NII_GZ, "./labelsTr/" + id + NII_GZ)).toList();
        List<String> ts = testIdentifiers().stream().map(id -> "./imagesTs/" + id + NII_GZ).toList();
        return new DatasetJson(name, description, reference, licence, release, tensorImageSize, modality, labels,
                tr.size(), ts.size(), tr, ts);
    }

    /** {@code ./imagesTr/hippocampus_001.nii.gz} -> {@code hippocampus_001}. */
    public static String caseIdentifier(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (!file.endsWith(NII_GZ) || file.length() == NII_GZ.length()) {
            throw new IllegalArgumentException("dataset.json entry '" + path + "' does not name a .nii.gz file");
        }
        return file.substring(0, file.length() - NII_GZ.length());
    }

    /** File name of one modality of a case: {@code case_0000.nii.gz} (v1's {@code "_%04.0d.nii.gz"}). */
    public static String modalityFileName(String caseId, int modality) {
        return String.format("%s_%04d%s", caseId, modality, NII_GZ);
    }

    /** File name of a case's label: {@code case.nii.gz}. */
    public static String labelFileName(String caseId) {
        return caseId + NII_GZ;
    }

    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
