package org.nnunet.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * One broken fixture per rule of sanity_checks.verify_dataset_integrity (v1.7.1); each asserts the message names
 * the case and the file.
 */
class DatasetIntegrityCheckerTest {

    @TempDir
    Path tmp;
    TaskFixture task;
    final DatasetIntegrityChecker checker = new DatasetIntegrityChecker(2);

    @BeforeEach
    void validTask() throws IOException {
        task = new TaskFixture(tmp.resolve("Task999_Tiny"), List.of("case_a", "case_b", "case_c"), List.of("test_x"),
                2);
    }

    private IntegrityReport check() {
        return checker.check(task.folder);
    }

    private static void assertOneErrorMentioning(IntegrityReport r, String... parts) {
        assertEquals(1, r.errors().size(), r.describe());
        for (String p : parts) {
            assertTrue(r.errors().get(0).contains(p), "'" + p + "' missing in: " + r.errors().get(0));
        }
    }

    @Test
    @DisplayName("a valid task passes: 3 training, 1 test case, no error, no warning")
    void validTaskPasses() {
        IntegrityReport r = checker.verify(task.folder);
        assertTrue(r.ok());
        assertEquals(List.of(), r.warnings());
        assertEquals(3, r.trainingCases());
        assertEquals(1, r.testCases());
    }

    @Test
    @DisplayName("dataset.json, imagesTr and labelsTr must exist")
    void requiredFilesAndFolders() throws IOException {
        Files.delete(task.folder.resolve("dataset.json"));
        Path labelsTr = task.folder.resolve("labelsTr");
        for (String id : List.of("case_a", "case_b", "case_c")) {
            Files.delete(task.labelTr(id));
        }
        Files.delete(labelsTr);
        IntegrityReport r = check();
        assertEquals(2, r.errors().size(), r.describe());
        assertTrue(r.errors().get(0).contains("dataset.json"));
        assertTrue(r.errors().get(1).contains("labelsTr"));
    }

    @Test
    @DisplayName("duplicate training case ids in dataset.json are an error")
    void duplicateCases() throws IOException {
        List<DatasetJson.TrainingCase> training = new ArrayList<>(task.json.training());
        training.add(training.get(1));
        rewriteJson(training, task.json.labels());
        assertOneErrorMentioning(check(), "duplicate training case", "case_b");
    }

    @Test
    @DisplayName("a missing label file is an error naming the case and the file")
    void missingLabel() throws IOException {
        Files.delete(task.labelTr("case_b"));
        assertOneErrorMentioning(check(), "case_b", "labelsTr/case_b.nii.gz");
    }

    @Test
    @DisplayName("a missing modality file of a training case is an error")
    void missingTrainingModality() throws IOException {
        Files.delete(task.imageTr("case_c", 1));
        assertOneErrorMentioning(check(), "training case case_c", "case_c_0001.nii.gz");
    }

    @Test
    @DisplayName("a missing modality file of a test case is an error")
    void missingTestModality() throws IOException {
        Files.delete(task.imageTs("test_x", 0));
        assertOneErrorMentioning(check(), "test case test_x", "imagesTs/test_x_0000.nii.gz");
    }

    @Test
    @DisplayName("origin, spacing and direction of an image differing from its label warn (v1 verify_same_geometry)")
    void geometryMismatchWarns() throws IOException {
        ImageGeometry shifted = new ImageGeometry(new double[] {0.8, 0.9, 2.6}, new double[] {-10, 20.5, 5},
                new double[] {0, -1, 0, 1, 0, 0, 0, 0, 1});
        NiftiIO.write(TaskFixture.image(1, shifted), NiftiDataType.FLOAT32, task.imageTr("case_a", 1));
        IntegrityReport r = check();
        assertTrue(r.ok(), r.describe());
        // 3 geometry warnings, plus the orientation warning: case_a_0001 is PRS while all others are LPS
        assertEquals(4, r.warnings().size(), r.describe());
        for (String property : List.of("origin", "spacing", "direction")) {
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("the " + property) && w.contains("case_a")
                    && w.contains("case_a_0001.nii.gz") && w.contains("labelsTr/case_a.nii.gz")), property);
        }
        assertTrue(r.warnings().get(3).contains("same axis ordering [LPS, PRS]"), r.warnings().get(3));
    }

    @Test
    @DisplayName("geometryMismatchIsError: the same mismatches are errors (v1 stops plan_and_preprocess on them)")
    void geometryMismatchAsError() throws IOException {
        ImageGeometry spacing = new ImageGeometry(new double[] {0.8, 0.9, 5.0}, new double[] {-10, 20, 5},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        NiftiIO.write(TaskFixture.image(1, spacing), NiftiDataType.FLOAT32, task.imageTr("case_a", 1));
        IntegrityReport strict = new DatasetIntegrityChecker(2, true).check(task.folder);
        assertOneErrorMentioning(strict, "training case case_a", "the spacing", "case_a_0001.nii.gz",
                "labelsTr/case_a.nii.gz");
        assertEquals(List.of(), strict.warnings());
        assertTrue(check().ok(), "a warning only by default");
    }

    @Test
    @DisplayName("a spacing difference within np.isclose tolerance (rtol 1e-5) is no mismatch")
    void geometryWithinTolerance() throws IOException {
        ImageGeometry g = new ImageGeometry(new double[] {0.8 * (1 + 2e-6), 0.9, 2.5}, new double[] {-10, 20, 5},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        NiftiIO.write(TaskFixture.image(0, g), NiftiDataType.FLOAT32, task.imageTr("case_b", 0));
        IntegrityReport r = check();
        assertTrue(r.ok() && r.warnings().isEmpty(), r.describe());
    }

    @Test
    @DisplayName("an image whose size differs from its label is an error")
    void sizeMismatch() throws IOException {
        Volume small = new Volume(new int[] {4, 5, 5}, new float[100], TaskFixture.GEOMETRY);
        NiftiIO.write(small, NiftiDataType.FLOAT32, task.imageTr("case_b", 0));
        assertOneErrorMentioning(check(), "case_b", "size", "case_b_0000.nii.gz", "[4, 5, 5] vs [4, 5, 6]");
    }

    @Test
    @DisplayName("NaN in an image is an error")
    void nanInImage() throws IOException {
        Volume v = TaskFixture.image(0, TaskFixture.GEOMETRY);
        float[] d = v.data().clone();
        d[17] = Float.NaN;
        d[18] = Float.NaN;
        NiftiIO.write(v.withData(d), NiftiDataType.FLOAT32, task.imageTr("case_c", 0));
        assertOneErrorMentioning(check(), "case_c", "2 NaN values", "case_c_0000.nii.gz");
    }

    @Test
    @DisplayName("NaN in a label is an error")
    void nanInLabel() throws IOException {
        Volume v = TaskFixture.label(TaskFixture.GEOMETRY);
        float[] d = v.data().clone();
        d[0] = Float.NaN;
        NiftiIO.write(v.withData(d), NiftiDataType.FLOAT32, task.labelTr("case_a"));
        assertOneErrorMentioning(check(), "case_a", "1 NaN values", "labelsTr/case_a.nii.gz");
    }

    @Test
    @DisplayName("label values not declared in dataset.json are an error listing them")
    void unexpectedLabelValues() throws IOException {
        Volume v = TaskFixture.label(TaskFixture.GEOMETRY);
        float[] d = v.data().clone();
        d[5] = 3;
        d[6] = 7;
        NiftiIO.write(v.withData(d), NiftiDataType.UINT8, task.labelTr("case_b"));
        assertOneErrorMentioning(check(), "case_b", "unexpected label values [3.0, 7.0]", "labelsTr/case_b.nii.gz");
    }

    @Test
    @DisplayName("declared labels must start at 0 and be consecutive (v1.7.1 ediff1d == 1)")
    void nonConsecutiveLabels() throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "a");
        labels.put("3", "b");
        rewriteJson(task.json.training(), labels);
        IntegrityReport r = check();
        // the declaration error, and the value 2 found in every label is now undeclared
        assertTrue(r.errors().get(0).contains("consecutive") && r.errors().get(0).contains("3 follows 1"),
                r.describe());
        assertEquals(4, r.errors().size(), r.describe());
    }

    @Test
    @DisplayName("files in imagesTr, labelsTr or imagesTs not listed in dataset.json are errors")
    void stragglers() throws IOException {
        NiftiIO.write(TaskFixture.image(0, TaskFixture.GEOMETRY), NiftiDataType.FLOAT32, task.imageTr("case_z", 0));
        NiftiIO.write(TaskFixture.label(TaskFixture.GEOMETRY), NiftiDataType.UINT8, task.labelTr("case_z"));
        NiftiIO.write(TaskFixture.image(0, TaskFixture.GEOMETRY), NiftiDataType.FLOAT32, task.imageTs("test_y", 0));
        IntegrityReport r = check();
        assertEquals(3, r.errors().size(), r.describe());
        assertTrue(r.errors().get(0).contains("imagesTr") && r.errors().get(0).contains("case_z_0000.nii.gz"));
        assertTrue(r.errors().get(1).contains("labelsTr") && r.errors().get(1).contains("case_z.nii.gz"));
        assertTrue(r.errors().get(2).contains("imagesTs") && r.errors().get(2).contains("test_y_0000.nii.gz"));
    }

    @Test
    @DisplayName("test-case modalities with different geometry are an error (v1 asserts for the test set)")
    void testModalitiesNotRegistered() throws IOException {
        ImageGeometry moved = new ImageGeometry(new double[] {0.8, 0.9, 2.5}, new double[] {-12, 20, 5},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        NiftiIO.write(TaskFixture.image(1, moved), NiftiDataType.FLOAT32, task.imageTs("test_x", 1));
        assertOneErrorMentioning(check(), "test case test_x", "origin", "test_x_0001.nii.gz", "test_x_0000.nii.gz");
    }

    @Test
    @DisplayName("verify throws with ALL problems listed, each naming its case")
    void verifyListsAllProblems() throws IOException {
        Files.delete(task.labelTr("case_a"));
        Volume v = TaskFixture.label(TaskFixture.GEOMETRY);
        float[] d = v.data().clone();
        d[1] = 9;
        NiftiIO.write(v.withData(d), NiftiDataType.UINT8, task.labelTr("case_c"));
        DatasetIntegrityException e = assertThrows(DatasetIntegrityException.class, () -> checker.verify(task.folder));
        assertEquals(2, e.report().errors().size());
        assertTrue(e.getMessage().contains("case_a") && e.getMessage().contains("labelsTr/case_a.nii.gz"));
        assertTrue(e.getMessage().contains("case_c") && e.getMessage().contains("[9.0]"));
    }

    @Test
    @DisplayName("axis codes follow nibabel aff2axcodes: identity ITK direction (LPS) is LPS, flipped x is RPS")
    void axisCodes() {
        assertEquals("LPS", DatasetIntegrityChecker.axisCodes(TaskFixture.GEOMETRY));
        assertEquals("RPS", DatasetIntegrityChecker.axisCodes(new ImageGeometry(new double[] {1, 1, 1},
                new double[3], new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1})));
        assertEquals("PLI", DatasetIntegrityChecker.axisCodes(new ImageGeometry(new double[] {1, 1, 1},
                new double[3], new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1})));
    }

    private void rewriteJson(List<DatasetJson.TrainingCase> training, Map<String, String> labels) throws IOException {
        DatasetJson j = task.json;
        new DatasetJson(j.name(), j.description(), j.reference(), j.licence(), j.release(), j.tensorImageSize(),
                j.modality(), labels, training.size(), j.numTest(), training, j.test())
                .write(task.folder.resolve("dataset.json"));
    }
}
