package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.dataset.DatasetJson;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;
import picocli.CommandLine;

/**
 * nnUNet_plan_and_preprocess on a tiny synthetic task (3 cases of 20x24x28 at 1 mm, nonzero in a 16x20x24 box).
 * Expected plans by the v1 rules: patch = the median cropped shape (16, 20, 24), 2 pools per axis (16 -> 8 -> 4,
 * 20 -> 10 -> 5, 24 -> 12 -> 6) so it is already divisible by 4; the memory estimate allows a huge batch but the 5%
 * cap round(0.05 * 3) = 0 is raised to the minimum 2. 2d: patch (20, 24), cap round(0.05 * 7680 * 3 / 480) = 2.
 */
class PlanAndPreprocessCommandTest {

    @TempDir
    Path base;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = NnUNet.execute(cl, args);
        return new Run(rc, out.toString(), err.toString());
    }

    private Path rawTask() throws IOException {
        Path task = base.resolve("nnUNet_raw_data/Task007_Tiny");
        Files.createDirectories(task.resolve("imagesTr"));
        Files.createDirectories(task.resolve("labelsTr"));
        ImageGeometry g = ImageGeometry.identity(new double[] {1, 1, 1});
        int[] shape = {20, 24, 28};
        List<DatasetJson.TrainingCase> training = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            float[] img = new float[20 * 24 * 28];
            float[] seg = new float[img.length];
            for (int z = 2; z < 18; z++) {
                for (int y = 2; y < 22; y++) {
                    for (int x = 2; x < 26; x++) {
                        int i = (z * 24 + y) * 28 + x;
                        img[i] = 100 + c + x;
                        seg[i] = z > 8 && z < 12 && y > 8 && y < 14 ? 1 : 0;
                    }
                }
            }
            String id = "tiny_" + c;
            NiftiIO.write(new Volume(shape, img, g), NiftiDataType.FLOAT32,
                    task.resolve("imagesTr").resolve(DatasetJson.modalityFileName(id, 0)));
            NiftiIO.write(new Volume(shape, seg, g), NiftiDataType.UINT8,
                    task.resolve("labelsTr").resolve(DatasetJson.labelFileName(id)));
            training.add(new DatasetJson.TrainingCase("./imagesTr/" + id + ".nii.gz", "./labelsTr/" + id + ".nii.gz"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "thing");
        new DatasetJson("Tiny", "test", "-", "-", "1.0", "3D", Map.of("0", "MRI"), labels, 3, 0, training, List.of())
                .write(task.resolve("dataset.json"));
        return task;
    }

    @Test
    @DisplayName("plan_and_preprocess -t 7 --verify_dataset_integrity: crops, writes dataset_properties.json and both"
            + " plans (3d 16x20x24 bs 2 2x[2,2,2], 2d 20x24 bs 2), prints summaries, preprocesses both data identifiers")
    void plansTinyTask() throws IOException {
        rawTask();
        Path pre = base.resolve("preprocessed");
        Run r = run("plan_and_preprocess", "-t", "7", "--verify_dataset_integrity", "-tf", "2", "-tl", "2",
                "--nnUNet_raw_data_base", base.toString(), "--nnUNet_preprocessed", pre.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("ExperimentPlanner3D_v21 - 3d_fullres"), r.out());
        assertTrue(r.out().contains("ExperimentPlanner2D_v21 - 2d"), r.out());
        assertFalse(r.out().contains("preprocessing: not run"), r.out());

        CroppedDataFolder cropped = new CroppedDataFolder(base.resolve("nnUNet_cropped_data/Task007_Tiny"));
        assertEquals(List.of("tiny_0", "tiny_1", "tiny_2"), cropped.caseIds());
        CaseProperties p = cropped.readProperties("tiny_0");
        assertArrayEquals(new int[][] {{2, 18}, {2, 22}, {2, 26}}, p.cropBbox());
        assertTrue(Files.isRegularFile(cropped.dir().resolve("dataset.json")));
        assertTrue(Files.isRegularFile(cropped.gtSegmentationsDir().resolve("tiny_0.nii.gz")));

        Path task = pre.resolve("Task007_Tiny");
        assertTrue(Files.isRegularFile(task.resolve("dataset_properties.json")));
        assertTrue(Files.isRegularFile(task.resolve("dataset.json")));
        Plans p3 = PlansIO.read(task.resolve(PlansIO.PLANS_3D));
        StagePlan s = p3.fullResolution();
        assertArrayEquals(new int[] {16, 20, 24}, s.patchSize());
        assertEquals(2, s.batchSize());
        assertArrayEquals(new int[][] {{2, 2, 2}, {2, 2, 2}}, s.poolOpKernelSizes());
        assertEquals("GenericPreprocessor", p3.preprocessorName());
        Plans p2 = PlansIO.read(task.resolve(PlansIO.PLANS_2D));
        assertArrayEquals(new int[] {20, 24}, p2.stage(0).patchSize());
        assertEquals(2, p2.stage(0).batchSize());
        assertEquals("nnUNetData_plans_v2.1_2D", p2.dataIdentifier());

        // run_preprocessing: gt_segmentations copied, one stage folder per data identifier, 1 mm -> shape unchanged
        assertTrue(Files.isRegularFile(task.resolve("gt_segmentations/tiny_2.nii.gz")));
        for (String stage : List.of("nnUNetData_plans_v2.1_stage0", "nnUNetData_plans_v2.1_2D_stage0")) {
            for (String c : List.of("tiny_0", "tiny_1", "tiny_2")) {
                assertTrue(Files.isRegularFile(task.resolve(stage).resolve(c + ".npy")), stage + "/" + c);
                assertTrue(Files.isRegularFile(task.resolve(stage).resolve(c + ".json")), stage + "/" + c);
            }
            NpyArray a = NpyReader.read(task.resolve(stage).resolve("tiny_1.npy"));
            assertArrayEquals(new int[] {2, 16, 20, 24}, a.shape(), stage);
        }
    }

    @Test
    @DisplayName("-pl2d None skips the 2D plans; an unknown planner name is an error naming it")
    void plannerSelection() throws IOException {
        rawTask();
        Path pre = base.resolve("preprocessed");
        Run r = run("plan_and_preprocess", "-t", "Task007_Tiny", "-pl2d", "None", "-no_pp", "-tf", "2",
                "--nnUNet_raw_data_base", base.toString(), "--nnUNet_preprocessed", pre.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(pre.resolve("Task007_Tiny").resolve(PlansIO.PLANS_3D)));
        assertFalse(Files.exists(pre.resolve("Task007_Tiny").resolve(PlansIO.PLANS_2D)));
        assertTrue(r.out().contains("preprocessing: not run (-no_pp)"), r.out());
        assertFalse(Files.exists(pre.resolve("Task007_Tiny/nnUNetData_plans_v2.1_stage0")));

        Run bad = run("plan_and_preprocess", "-t", "7", "-pl3d", "ExperimentPlanner3D_v21_32GB",
                "--nnUNet_raw_data_base", base.toString(), "--nnUNet_preprocessed", pre.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("ExperimentPlanner3D_v21_32GB"), bad.err());
    }
}
