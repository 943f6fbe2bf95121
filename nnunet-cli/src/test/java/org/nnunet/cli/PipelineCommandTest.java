package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import picocli.CommandLine;

/**
 * nnUNet_pipeline on a tiny generated Decathlon task (6 training + 2 test cases), 3d_fullres fold 0 only,
 * 1 epoch x 2 iterations: every step runs, model selection is skipped (it needs all 5 folds) and says why.
 */
class PipelineCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("pipeline: convert, verify, plan, train fold 0, predict imagesTs at the input geometry, report.html")
    void runsTheWholePipeline() throws Exception {
        Path decathlon = TinyDecathlonTask.write(dir.resolve("in"), 6, 2);
        Path work = dir.resolve("work");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = NnUNet.execute(cl, "pipeline", "-i", decathlon.toString(), "-o", work.toString(), "-m", "3d_fullres",
                "-f", "0", "--epochs", "1", "--iterations", "2", "--val_iterations", "1",
                "--nnUNet_raw_data_base", work.resolve("raw").toString(),
                "--nnUNet_preprocessed", work.resolve("pre").toString(),
                "--RESULTS_FOLDER", work.resolve("res").toString());
        assertEquals(0, rc, err + "\n" + out);
        String log = out.toString();
        assertTrue(log.contains("model selection skipped: no configuration has all 5 folds"), log);

        for (String id : new String[] {"tiny_006", "tiny_007"}) {
            Path pred = work.resolve("predictionsTs").resolve(id + ".nii.gz");
            Volume p = NiftiIO.read(pred);
            Volume in = NiftiIO.read(work.resolve("raw/nnUNet_raw_data/Task009_Tiny/imagesTs/" + id + "_0000.nii.gz"));
            assertArrayEquals(in.shape(), p.shape());
            assertArrayEquals(in.geometry().itkSpacing(), p.geometry().itkSpacing(), 1e-6);
            assertArrayEquals(in.geometry().itkOrigin(), p.geometry().itkOrigin(), 1e-6);
            assertArrayEquals(in.geometry().itkDirection(), p.geometry().itkDirection(), 1e-6);
            for (float v : p.data()) {
                assertTrue(v == 0 || v == 1 || v == 2, "label " + v);
            }
        }
        String html = Files.readString(work.resolve("report.html"));
        assertTrue(html.contains("<table id=\"dice\">"), "Dice table");
        assertTrue(html.contains("fold 0 validation"), "fold 0 row");
        assertTrue(html.contains("1: box") && html.contains("2: core"), "class columns");
        Matcher png = Pattern.compile("src=\"data:image/png;base64,[A-Za-z0-9+/=]{100,}\"").matcher(html);
        int pngs = 0;
        while (png.find()) {
            pngs++;
        }
        // 2 prediction overlays + 1 training curve
        assertEquals(3, pngs, "inline PNGs");
        assertTrue(html.contains("3d_fullres") && html.contains("patch"), "plans");
    }
}
