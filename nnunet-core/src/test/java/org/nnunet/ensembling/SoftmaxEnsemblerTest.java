package org.nnunet.ensembling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.Volume;
import org.nnunet.inference.ExportProperties;
import org.nnunet.inference.SoftmaxFiles;
import org.nnunet.inference.SoftmaxVolume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Region;

class SoftmaxEnsemblerTest {

    static ExportProperties props() {
        return new ExportProperties(new int[] {1, 1, 6}, new int[] {1, 1, 6}, new int[][] {{0, 1}, {0, 1}, {0, 6}},
                new double[] {1, 1, 1}, new double[] {1, 1, 1}, new double[] {1, 1, 1}, new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /** Two classes along a 6-voxel line: probability of class 1 per voxel. */
    static SoftmaxVolume line(float... p1) {
        float[] d = new float[12];
        for (int i = 0; i < 6; i++) {
            d[i] = 1 - p1[i];
            d[6 + i] = p1[i];
        }
        return new SoftmaxVolume(2, new int[] {1, 1, 6}, d);
    }

    @Test
    @DisplayName("nnUNet_ensemble merge: mean of the softmax files, argmax, optional postprocessing into _postprocessed")
    void meanArgmaxPostprocess(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("3d_fullres");
        Path b = dir.resolve("2d");
        // model a: class 1 at voxels 0-1 and (weakly) 4; model b: class 1 at 0-2, strongly not at 4
        SoftmaxFiles.write(line(0.9f, 0.8f, 0.4f, 0.1f, 0.6f, 0.1f), a.resolve("case_1.npz"), true);
        SoftmaxFiles.write(line(0.9f, 0.9f, 0.7f, 0.1f, 0.2f, 0.1f), b.resolve("case_1.npz"), true);
        // second case: both see an extra isolated voxel 4 of class 1
        SoftmaxFiles.write(line(0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.1f), a.resolve("case_2.npz"), true);
        SoftmaxFiles.write(line(0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.1f), b.resolve("case_2.npz"), true);
        for (Path f : List.of(a, b)) {
            props().write(f.resolve("case_1.json"));
            props().write(f.resolve("case_2.json"));
        }
        Path out = dir.resolve("ensemble");
        List<String> ids = new SoftmaxEnsembler().merge(List.of(a, b), out,
                PostprocessingPlan.of(List.of(Region.joint(List.of(1)))), true);
        assertEquals(List.of("case_1", "case_2"), ids);
        // case 1: means 0.9, 0.85, 0.55, 0.1, 0.4, 0.1
        Volume c1 = NiftiIO.read(out.resolve("case_1.nii.gz"));
        assertEquals(List.of(1f, 1f, 1f, 0f, 0f, 0f), values(c1));
        Volume c2 = NiftiIO.read(out.resolve("case_2.nii.gz"));
        assertEquals(List.of(1f, 1f, 0f, 0f, 1f, 0f), values(c2));
        Volume c2pp = NiftiIO.read(dir.resolve("ensemble_postprocessed").resolve("case_2.nii.gz"));
        assertEquals(List.of(1f, 1f, 0f, 0f, 0f, 0f), values(c2pp), "isolated voxel removed");
        assertTrue(Files.isRegularFile(dir.resolve("ensemble_postprocessed").resolve("postprocessing.json")));
        assertEquals(0.55f, SoftmaxFiles.read(out.resolve("case_1.npz")).data()[6 + 2], 1e-3);
    }

    @Test
    @DisplayName("nnUNet_ensemble merge: a case missing in one folder is an error naming the file")
    void missingCase(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        SoftmaxFiles.write(line(0.9f, 0.8f, 0.4f, 0.1f, 0.6f, 0.1f), a.resolve("case_1.npz"), true);
        props().write(a.resolve("case_1.json"));
        Files.createDirectories(b);
        IOException e = assertThrows(IOException.class,
                () -> new SoftmaxEnsembler().merge(List.of(a, b), dir.resolve("o"), null, false));
        assertTrue(e.getMessage().contains("case_1.npz"), e.getMessage());
    }

    private static List<Float> values(Volume v) {
        List<Float> l = new java.util.ArrayList<>();
        for (float f : v.data()) {
            l.add(f);
        }
        return l;
    }
}
