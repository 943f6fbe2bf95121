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
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ExportProperties;
import org.nnunet.inference.SoftmaxFiles;
import org.nnunet.inference.SoftmaxVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import picocli.CommandLine;

class EvaluateAndEnsembleCommandsTest {
    @TempDir
    Path tmp;

    private int run(StringWriter out, String... args) {
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return NnUNet.execute(cl, args);
    }

    private static Volume line(float... labels) {
        return new Volume(new int[] {1, 1, labels.length}, labels, ImageGeometry.identity(new double[] {1, 1, 1}));
    }

    @Test
    @DisplayName("nnUNet_evaluate_folder -ref -pred -l 1 2 writes PRED/summary.json with the mean Dice")
    void evaluateFolder() throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        Path pred = Files.createDirectories(tmp.resolve("pred"));
        NiftiIO.write(line(0, 1, 1, 1, 1, 0, 2, 2), NiftiDataType.UINT8, ref.resolve("c1.nii.gz"));
        NiftiIO.write(line(0, 0, 1, 1, 1, 1, 2, 0), NiftiDataType.UINT8, pred.resolve("c1.nii.gz"));
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "evaluate_folder", "-ref", ref.toString(), "-pred", pred.toString(), "-l", "1", "2"),
                out.toString());
        EvaluationSummary s = EvaluationSummary.read(pred.resolve("summary.json"));
        assertEquals(0.75, s.meanDice(1), 1e-12);
        assertEquals(2.0 / 3, s.meanDice(2), 1e-12);
        assertTrue(out.toString().contains("label 1: mean Dice 0.7500"), out.toString());
    }

    @Test
    @DisplayName("nnUNet_ensemble -f A B -o OUT averages the softmax npz files")
    void ensemble() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ExportProperties props = new ExportProperties(new int[] {1, 1, 2}, new int[] {1, 1, 2},
                new int[][] {{0, 1}, {0, 1}, {0, 2}}, new double[] {1, 1, 1}, new double[] {1, 1, 1},
                new double[] {1, 1, 1}, new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        SoftmaxFiles.write(new SoftmaxVolume(2, new int[] {1, 1, 2}, new float[] {0.4f, 0.9f, 0.6f, 0.1f}),
                a.resolve("c1.npz"), true);
        SoftmaxFiles.write(new SoftmaxVolume(2, new int[] {1, 1, 2}, new float[] {0.9f, 0.4f, 0.1f, 0.6f}),
                b.resolve("c1.npz"), true);
        props.write(a.resolve("c1.json"));
        props.write(b.resolve("c1.json"));
        StringWriter out = new StringWriter();
        Path o = tmp.resolve("out");
        assertEquals(0, run(out, "ensemble", "-f", a.toString(), b.toString(), "-o", o.toString()), out.toString());
        // mean class-1 probability: voxel 0 0.35, voxel 1 0.35 -> background
        Volume v = NiftiIO.read(o.resolve("c1.nii.gz"));
        assertEquals(0f, v.data()[0]);
        assertEquals(0f, v.data()[1]);
        assertTrue(out.toString().contains("ensembled 1 cases"), out.toString());
    }
}
