package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The 3d_fullres moreDA pipeline on a real Hippocampus case (shared data, not copied into the repo). */
class HippocampusAugmentationTest {

    @Test
    @DisplayName("Hippocampus 001 padded to the 73x80x64 generator patch (data 0, seg -1 like DataLoader3D): "
            + "40x56x40 out, labels {0,1,2}, foreground volume within the 0.7-1.4 scaling bounds")
    void realCase() throws Exception {
        Path task = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isDirectory(task), "shared Hippocampus data not found at " + task);
        Volume image = NiftiIO.read(task.resolve("imagesTr/hippocampus_001.nii.gz"));
        Volume label = NiftiIO.read(task.resolve("labelsTr/hippocampus_001.nii.gz"));
        float[] data = image.data().clone();
        double mean = Stats.mean(data);
        double sd = Stats.std(data);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((data[i] - mean) / (sd + 1e-8));
        }
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{40, 56, 40}, false,
                new boolean[]{false});
        int[] gen = p.generatorPatchSize();
        Sample padded = new Sample(new float[][]{padCentered(data, image.shape(), gen, 0f)},
                new float[][]{padCentered(label.data(), image.shape(), gen, -1f)}, gen);
        long foreground = countForeground(label.data());
        assertTrue(foreground > 100, "case has foreground");

        List<Sample> samples = new ArrayList<>();
        for (int b = 0; b < 9; b++) {
            samples.add(padded);
        }
        PatchBatch out = new AugmentationPipeline(p, 12345, true).apply(new PatchBatch(samples));
        assertArrayEquals(new int[]{40, 56, 40}, out.shape());
        for (Sample s : out.samples()) {
            for (float v : s.seg()[0]) {
                assertTrue(v == 0 || v == 1 || v == 2, "label " + v);
            }
            for (float v : s.data()[0]) {
                assertTrue(Float.isFinite(v));
            }
            long fg = countForeground(s.seg()[0]);
            // volume scales by 1/scale^3: between 1/1.4^3 = 0.36 and 1/0.7^3 = 2.9, with slack for interpolation
            assertTrue(fg > 0.3 * foreground && fg < 3.2 * foreground,
                    "foreground " + fg + " vs original " + foreground);
        }
    }

    private static long countForeground(float[] seg) {
        long n = 0;
        for (float v : seg) {
            if (v > 0) {
                n++;
            }
        }
        return n;
    }

    /** Centres the image in a larger box, filling the rest with {@code fill}. */
    private static float[] padCentered(float[] in, int[] shape, int[] box, float fill) {
        float[] out = new float[box[0] * box[1] * box[2]];
        java.util.Arrays.fill(out, fill);
        int oz = (box[0] - shape[0]) / 2;
        int oy = (box[1] - shape[1]) / 2;
        int ox = (box[2] - shape[2]) / 2;
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                System.arraycopy(in, (z * shape[1] + y) * shape[2], out,
                        ((z + oz) * box[1] + y + oy) * box[2] + ox, shape[2]);
            }
        }
        return out;
    }
}
