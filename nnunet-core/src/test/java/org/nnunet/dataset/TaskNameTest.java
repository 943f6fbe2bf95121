package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nnunet/utilities/task_name_id_conversion.py: id <-> TaskXXX_NAME. */
class TaskNameTest {

    @TempDir
    Path tmp;

    private NnUNetPaths paths() {
        return new NnUNetPaths(tmp.resolve("raw"), tmp.resolve("pre"), tmp.resolve("res"));
    }

    @Test
    @DisplayName("full name is Task%03d_NAME; convert_task_name_to_id reads the digits")
    void fullNameAndParse() {
        assertEquals("Task004_Hippocampus", new TaskName(4, "Hippocampus").fullName());
        assertEquals("Task120_A_B", new TaskName(120, "A_B").fullName());
        assertEquals(new TaskName(17, "AbdominalOrganSegmentation"), TaskName.parse("Task017_AbdominalOrganSegmentation"));
        assertThrows(IllegalArgumentException.class, () -> TaskName.parse("Task04Hippocampus"));
    }

    @Test
    @DisplayName("ids 4 and 004 resolve to the one Task004_* folder of nnUNet_raw_data; Task0040_* does not match")
    void resolveFromRaw() throws IOException {
        Files.createDirectories(paths().requireRawData().resolve("Task004_Hippocampus"));
        Files.createDirectories(paths().requireRawData().resolve("Task0040_Other"));
        assertEquals(new TaskName(4, "Hippocampus"), TaskName.resolve("4", paths()));
        assertEquals(new TaskName(4, "Hippocampus"), TaskName.resolve("004", paths()));
        assertEquals(new TaskName(4, "Hippocampus"), TaskName.resolve("Task004_Hippocampus", paths()));
    }

    @Test
    @DisplayName("ids are also found in cropped, preprocessed and RESULTS_FOLDER/nnUNet/<network> folders")
    void resolveFromOtherFolders() throws IOException {
        Files.createDirectories(paths().requireCroppedData().resolve("Task001_A"));
        Files.createDirectories(paths().requirePreprocessed().resolve("Task002_B"));
        Files.createDirectories(paths().requireTrainingOutput().resolve("3d_fullres").resolve("Task003_C"));
        assertEquals("Task001_A", TaskName.resolve("1", paths()).fullName());
        assertEquals("Task002_B", TaskName.resolve("2", paths()).fullName());
        assertEquals("Task003_C", TaskName.resolve("3", paths()).fullName());
    }

    @Test
    @DisplayName("the same id with two names is an error listing both names and where it looked")
    void ambiguous() throws IOException {
        Files.createDirectories(paths().requireRawData().resolve("Task005_Prostate"));
        Files.createDirectories(paths().requirePreprocessed().resolve("Task005_Other"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskName.resolve("5", paths()));
        assertTrue(e.getMessage().contains("Task005_Other") && e.getMessage().contains("Task005_Prostate"),
                e.getMessage());
        assertTrue(e.getMessage().contains(paths().requirePreprocessed().toString()), e.getMessage());
    }

    @Test
    @DisplayName("an unknown id is an error listing every folder searched, and unset variables")
    void missing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskName.resolve("7", new NnUNetPaths(tmp.resolve("raw"), null, null)));
        assertTrue(e.getMessage().contains("Task007_"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("raw/nnUNet_raw_data") + " (does not exist)"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("raw/nnUNet_cropped_data").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("nnUNet_preprocessed is not set"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskName.resolve("Hippocampus", paths()));
    }
}
