package org.nnunet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/** nnUNet_evaluate_folder on real Hippocampus labels against shifted copies, checked with numpy + nibabel. */
class FolderEvaluatorTest {
    static final List<String> CASES = List.of("hippocampus_001.nii.gz", "hippocampus_003.nii.gz",
            "hippocampus_004.nii.gz");

    @Test
    @DisplayName("evaluate_folder: per-case Dice of labels 1 and 2 and their mean equal numpy on the same files")
    void hippocampusShifted(@TempDir Path dir) throws IOException, InterruptedException {
        Path labels = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus",
                "labelsTr");
        assumeTrue(Files.isDirectory(labels), "shared Hippocampus data not found at " + labels);
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)));
        Path ref = dir.resolve("ref");
        Path pred = dir.resolve("pred");
        Files.createDirectories(ref);
        Files.createDirectories(pred);
        for (String c : CASES) {
            Volume v = NiftiIO.read(labels.resolve(c));
            NiftiIO.write(v, NiftiDataType.UINT8, ref.resolve(c));
            // prediction: the label shifted by one voxel along x (array axis 2), label 2 dropped in the last case
            int[] s = v.shape();
            float[] d = new float[v.data().length];
            for (int z = 0; z < s[0]; z++) {
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 1; x < s[2]; x++) {
                        float l = v.get(z, y, x - 1);
                        d[v.index(z, y, x)] = c.equals(CASES.get(2)) && l == 2 ? 0 : l;
                    }
                }
            }
            NiftiIO.write(v.withData(d), NiftiDataType.UINT8, pred.resolve(c));
        }
        EvaluationSummary s = new FolderEvaluator(new Evaluator(Evaluator.Options.all()))
                .evaluateFolder(ref, pred, List.of(1, 2));
        String script = String.join("\n",
                "import nibabel as nib, numpy as np",
                "res = {1: [], 2: []}",
                "for c in " + CASES.toString().replace("[", "['").replace("]", "']").replace(", ", "', '") + ":",
                "    t = np.asanyarray(nib.load('" + pred + "/' + c).dataobj)",
                "    r = np.asanyarray(nib.load('" + ref + "/' + c).dataobj)",
                "    for l in (1, 2):",
                "        tp = np.sum((t == l) & (r == l)); fp = np.sum((t == l) & (r != l)); fn = np.sum((t != l) & (r == l))",
                "        res[l].append(2. * tp / (2 * tp + fp + fn))",
                "print(repr(float(np.nanmean(res[1]))), repr(float(np.nanmean(res[2]))), repr(res[2][2]))");
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        String[] v = out.split(" ");
        assertEquals(Double.parseDouble(v[0]), s.meanDice(1), 1e-12);
        assertEquals(Double.parseDouble(v[1]), s.meanDice(2), 1e-12);
        assertEquals(0.0, Double.parseDouble(v[2]));
        assertEquals(0.0, s.all().get(2).dice(2));
        assertEquals(3, EvaluationSummary.read(pred.resolve("summary.json")).all().size());
        // HD95 of a one-voxel shift: surface distances are 0 or the x spacing, so at most a voxel
        double hd = s.all().get(0).perLabel().get("1").get(Evaluator.HD95).doubleValue();
        assertEquals(NiftiIO.read(ref.resolve(CASES.get(0))).geometry().spacingZYX()[2], hd, 1e-6);
    }

    @Test
    @DisplayName("evaluate_folder: a prediction without reference is an error naming the file")
    void missingReference(@TempDir Path dir) throws IOException {
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Path pred = Files.createDirectories(dir.resolve("pred"));
        Volume v = new Volume(new int[] {1, 1, 2}, new float[] {0, 1},
                org.nnunet.image.ImageGeometry.identity(new double[] {1, 1, 1}));
        NiftiIO.write(v, NiftiDataType.UINT8, pred.resolve("a.nii.gz"));
        IOException e = assertThrows(IOException.class,
                () -> new FolderEvaluator(new Evaluator(Evaluator.Options.v1Defaults())).evaluateFolder(ref, pred,
                        List.of(1)));
        assertEquals(true, e.getMessage().contains("a.nii.gz"), e.getMessage());
    }
}
