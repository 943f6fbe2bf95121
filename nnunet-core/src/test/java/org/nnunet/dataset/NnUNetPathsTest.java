package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NnUNetPathsTest {

    @Test
    @DisplayName("nnunet/paths.py: folders derived from nnUNet_raw_data_base, nnUNet_preprocessed, RESULTS_FOLDER")
    void foldersFromEnvironment() {
        NnUNetPaths p = NnUNetPaths.fromEnvironment(Map.of("nnUNet_raw_data_base", "/data/raw",
                "nnUNet_preprocessed", "/data/pre", "RESULTS_FOLDER", "/data/res"));
        assertEquals(Path.of("/data/raw/nnUNet_raw_data"), p.rawData());
        assertEquals(Path.of("/data/raw/nnUNet_cropped_data"), p.croppedData());
        assertEquals(Path.of("/data/pre"), p.preprocessed());
        assertEquals(Path.of("/data/res/nnUNet"), p.trainingOutput());
        TaskName t = new TaskName(4, "Hippocampus");
        assertEquals(Path.of("/data/raw/nnUNet_raw_data/Task004_Hippocampus"), p.rawTask(t));
        assertEquals(Path.of("/data/raw/nnUNet_cropped_data/Task004_Hippocampus"), p.croppedTask(t));
        assertEquals(Path.of("/data/pre/Task004_Hippocampus"), p.preprocessedTask(t));
    }

    @Test
    @DisplayName("command-line flags override the environment; unset folders fail naming the variable")
    void overridesAndUnset() {
        NnUNetPaths p = NnUNetPaths.fromEnvironment(Map.of("nnUNet_raw_data_base", "/env/raw", "RESULTS_FOLDER", " "))
                .withOverrides(null, Path.of("/flag/pre"), null);
        assertEquals(Path.of("/env/raw"), p.rawDataBase());
        assertEquals(Path.of("/flag/pre"), p.preprocessed());
        assertNull(p.results());
        IllegalStateException e = assertThrows(IllegalStateException.class, p::requireTrainingOutput);
        assertTrue(e.getMessage().contains("RESULTS_FOLDER"), e.getMessage());
        assertEquals(Path.of("/x/nnUNet_raw_data"), p.withOverrides(Path.of("/x"), null, null).requireRawData());
    }
}
