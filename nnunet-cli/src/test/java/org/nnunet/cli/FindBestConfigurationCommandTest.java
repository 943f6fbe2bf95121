package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** nnUNet_find_best_configuration's command line; the selection itself is ModelSelectionTest (nnunet-core). */
class FindBestConfigurationCommandTest {

    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = NnUNet.execute(cl, args);
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("without 5 trained folds: skipped configurations are named; --strict fails on the first one")
    void explainsMissingFolds() throws Exception {
        Files.createDirectories(dir.resolve("res/nnUNet/3d_fullres/Task004_Hippocampus/"
                + "nnUNetTrainerV2__nnUNetPlansv2.1/fold_0/validation_raw"));
        String[] r = run("find_best_configuration", "-m", "2d", "3d_fullres", "-t", "Task004_Hippocampus",
                "--RESULTS_FOLDER", dir.resolve("res").toString(), "--nnUNet_preprocessed", dir.resolve("pre").toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("skipping 2d: output folder missing"), r[1] + r[2]);
        assertTrue(r[2].contains("3d_fullres: folds [0, 1, 2, 3, 4] not trained/validated"), r[2]);
        String[] strict = run("find_best_configuration", "-m", "2d", "3d_fullres", "-t", "Task004_Hippocampus",
                "--strict", "--RESULTS_FOLDER", dir.resolve("res").toString(), "--nnUNet_preprocessed", dir.resolve("pre").toString());
        assertEquals("1", strict[0]);
        assertTrue(strict[2].startsWith("nnUNet_find_best_configuration: 2d: output folder missing"), strict[2]);
    }
}
