package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetJsonTest {

    @TempDir
    Path tmp;

    static Path hippocampus() {
        Path p = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isDirectory(p), "shared data not found at " + p);
        return p;
    }

    @Test
    @DisplayName("reads the Decathlon Hippocampus dataset.json: 208 training, 52 test, 1 modality, 3 labels")
    void readsDecathlonHippocampus() throws IOException {
        DatasetJson d = DatasetJson.read(hippocampus().resolve("dataset.json"));
        assertEquals("Hippocampus", d.name());
        assertEquals("CC-BY-SA 4.0", d.licence());
        assertEquals(Map.of("0", "MRI"), d.modality());
        assertEquals(List.of("0", "1", "2"), List.copyOf(d.labels().keySet()));
        assertEquals(List.of(0, 1, 2), d.labelValues());
        assertEquals(208, d.numTraining());
        assertEquals(208, d.training().size());
        assertEquals(52, d.test().size());
        assertEquals("hippocampus_001", d.trainingIdentifiers().get(0));
        assertEquals(1, d.numModalities());
    }

    @Test
    @DisplayName("tolerates the Decathlon typo 'relase' and unknown fields; writes pretty JSON that reads back equal")
    void typoUnknownFieldsAndRoundTrip() throws IOException {
        Path f = tmp.resolve("dataset.json");
        Files.writeString(f, """
                {"name": "Heart", "relase": "1.0 04/05/2018", "somethingNew": {"x": 1},
                 "modality": {"0": "MRI"}, "labels": {"0": "background", "1": "left atrium"},
                 "numTraining": 1, "numTest": 1,
                 "training": [{"image": "./imagesTr/la_003.nii.gz", "label": "./labelsTr/la_003.nii.gz"}],
                 "test": ["./imagesTs/la_001.nii.gz"]}
                """);
        DatasetJson d = DatasetJson.read(f);
        assertEquals("1.0 04/05/2018", d.release());
        assertEquals(List.of("la_003"), d.trainingIdentifiers());
        assertEquals(List.of("la_001"), d.testIdentifiers());
        Path out = tmp.resolve("out.json");
        d.write(out);
        String text = Files.readString(out);
        assertTrue(text.contains("\n    \"name\": \"Heart\""), text);
        assertTrue(text.contains("\"release\": \"1.0 04/05/2018\""), text);
        assertEquals(d, DatasetJson.read(out));
    }

    @Test
    @DisplayName("nnU-Net file names: case_0000.nii.gz per modality, case.nii.gz for the label")
    void fileNames() {
        assertEquals("la_003_0000.nii.gz", DatasetJson.modalityFileName("la_003", 0));
        assertEquals("BRATS_001_0003.nii.gz", DatasetJson.modalityFileName("BRATS_001", 3));
        assertEquals("la_003.nii.gz", DatasetJson.labelFileName("la_003"));
        assertEquals("la_003", DatasetJson.caseIdentifier("./imagesTr/la_003.nii.gz"));
        assertThrows(IllegalArgumentException.class, () -> DatasetJson.caseIdentifier("./imagesTr/la_003.nii"));
    }

    @Test
    @DisplayName("a malformed dataset.json is an error naming the file")
    void malformed() throws IOException {
        Path f = tmp.resolve("dataset.json");
        Files.writeString(f, "{\"name\": ");
        IOException e = assertThrows(IOException.class, () -> DatasetJson.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
