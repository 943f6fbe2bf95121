package org.nnunet.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.dataset.DatasetJson;

/**
 * Coverage-guided fuzzing (Jazzer) of the dataset.json parser, issue 9 "Bad input": every input either parses into a
 * {@link DatasetJson} that writes and reads back equal, or {@link DatasetJson#read} throws an IOException naming
 * the file. Of a parsed description, the case-id and label accessors either answer or reject the offending entry
 * with an IllegalArgumentException naming dataset.json (what DatasetIntegrityChecker reports). Anything else is a
 * finding. Seeds: Task04_Hippocampus' own dataset.json cut to a few cases, and the Decathlon variants.
 */
class DatasetJsonFuzzTest {

    @TempDir
    static Path dir;

    @Timeout(10)
    @DictionaryEntries({"\"training\"", "\"test\"", "\"image\"", "\"label\"", "\"labels\"", "\"modality\"",
        "\"numTraining\"", "\"numTest\"", "\"relase\"", "\"tensorImageSize\"", ".nii.gz", "./imagesTr/", "null"})
    @FuzzTest(maxDuration = "60s")
    void datasetJson(byte[] bytes) throws IOException {
        Path file = dir.resolve("dataset.json");
        Files.write(file, bytes);
        DatasetJson d;
        try {
            d = DatasetJson.read(file);
        } catch (IOException e) {
            assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
            return;
        }
        try {
            List<String> ids = d.trainingIdentifiers();
            d.testIdentifiers();
            d.labelValues();
            assertEquals(ids, d.withNnUNetCasePaths().trainingIdentifiers(), "nnU-Net case paths keep the case ids");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("dataset.json "), e.getMessage());
        }
        Path copy = dir.resolve("written.json");
        d.write(copy);
        assertEquals(d, DatasetJson.read(copy), "dataset.json written and read back is equal");
    }
}
