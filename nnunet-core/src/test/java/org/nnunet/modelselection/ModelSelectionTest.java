package org.nnunet.modelselection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ExportProperties;
import org.nnunet.inference.SoftmaxFiles;
import org.nnunet.inference.SoftmaxVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.postprocessing.Region;

/**
 * figure_out_what_to_submit + consolidate_folds on a synthetic results folder: 5 cases (one per fold) of 8x8x8,
 * reference = a 4x4x4 box of label 1 around a 2x2x2 core of label 2 (56 + 8 voxels).
 * <ul>
 *   <li>"2d" calls the core 1 (softmax core (0.1, 0.6, 0.3)): Dice 1 = 2*56/(64+56) = 0.93333, Dice 2 = 0;
 *       foreground mean 0.46667.</li>
 *   <li>"3d_fullres" is right (core (0.1, 0.1, 0.8)) plus a one-voxel island of label 1 at (7,7,7) (0.2, 0.8, 0):
 *       Dice 1 = 112/113 = 0.99115, Dice 2 = 1; mean 0.99558. Keeping the largest foreground component removes the
 *       island (Dice 1 -> 1, nothing worse), so its postprocessing.json keeps the largest component of [1, 2].</li>
 *   <li>Their mean softmax is right everywhere (core (0.1, 0.35, 0.55), island (0.55, 0.45, 0)): Dice 1 and 1,
 *       so the ensemble wins, with no postprocessing of its own.</li>
 * </ul>
 */
class ModelSelectionTest {
    static final int[] SHAPE = {8, 8, 8};
    static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1, 1, 1}, new double[] {0, 0, 0},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    static final String ENSEMBLE = "ensemble_2d__nnUNetTrainerV2__nnUNetPlansv2.1--3d_fullres__nnUNetTrainerV2__"
            + "nnUNetPlansv2.1";

    @TempDir
    Path dir;
    NnUNetPaths paths;
    final TaskName task = new TaskName(5, "Sel");
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void writeResults() throws IOException {
        paths = new NnUNetPaths(dir.resolve("raw"), dir.resolve("pre"), dir.resolve("res"));
        Path gt = paths.preprocessedTask(task).resolve("gt_segmentations");
        Files.createDirectories(gt);
        for (int c = 0; c < 5; c++) {
            NiftiIO.write(new Volume(SHAPE, toFloat(reference()), GEOMETRY), NiftiDataType.UINT8,
                    gt.resolve(id(c) + ".nii.gz"));
        }
        writeModel("2d", false, 5);
        writeModel("3d_fullres", true, 5);
        writeModel("3d_lowres", true, 4);
    }

    private static String id(int c) {
        return "case_" + c;
    }

    private static int index(int z, int y, int x) {
        return (z * 8 + y) * 8 + x;
    }

    private static boolean inBox(int z, int y, int x) {
        return z >= 2 && z < 6 && y >= 2 && y < 6 && x >= 2 && x < 6;
    }

    private static boolean inCore(int z, int y, int x) {
        return z >= 3 && z < 5 && y >= 3 && y < 5 && x >= 3 && x < 5;
    }

    static int[] reference() {
        int[] l = new int[512];
        for (int z = 0; z < 8; z++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    l[index(z, y, x)] = inCore(z, y, x) ? 2 : inBox(z, y, x) ? 1 : 0;
                }
            }
        }
        return l;
    }

    static SoftmaxVolume softmax(boolean good) {
        float[] d = new float[3 * 512];
        for (int z = 0; z < 8; z++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float[] p;
                    if (inCore(z, y, x)) {
                        p = good ? new float[] {0.1f, 0.1f, 0.8f} : new float[] {0.1f, 0.6f, 0.3f};
                    } else if (inBox(z, y, x)) {
                        p = new float[] {0.1f, 0.9f, 0f};
                    } else if (good && z == 7 && y == 7 && x == 7) {
                        p = new float[] {0.2f, 0.8f, 0f};
                    } else {
                        p = new float[] {0.9f, 0.1f, 0f};
                    }
                    for (int k = 0; k < 3; k++) {
                        d[k * 512 + index(z, y, x)] = p[k];
                    }
                }
            }
        }
        return new SoftmaxVolume(3, SHAPE, d);
    }

    private static float[] toFloat(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return f;
    }

    /** fold_N/validation_raw with case N's prediction, softmax, properties and summary.json, for N < folds. */
    private void writeModel(String config, boolean good, int folds) throws IOException {
        Path model = new ModelSelection(paths, log::add).modelFolder(config, task);
        Path gt = paths.preprocessedTask(task).resolve("gt_segmentations");
        SoftmaxVolume sm = softmax(good);
        ExportProperties props = new ExportProperties(SHAPE, SHAPE, new int[][] {{0, 8}, {0, 8}, {0, 8}},
                new double[] {1, 1, 1}, new double[] {1, 1, 1}, GEOMETRY.itkSpacing(), GEOMETRY.itkOrigin(),
                GEOMETRY.itkDirection());
        for (int f = 0; f < folds; f++) {
            Path val = model.resolve("fold_" + f).resolve("validation_raw");
            Files.createDirectories(val);
            Path nifti = val.resolve(id(f) + ".nii.gz");
            NiftiIO.write(new Volume(SHAPE, toFloat(sm.argmax()), GEOMETRY), NiftiDataType.UINT8, nifti);
            SoftmaxFiles.write(sm, val.resolve(id(f) + ".npz"), true);
            props.write(val.resolve(id(f) + ".json"));
            EvaluationSummary s = new FolderEvaluator(new Evaluator(Evaluator.Options.v1Defaults()))
                    .evaluatePairs(List.<Path[]>of(new Path[] {nifti, gt.resolve(id(f) + ".nii.gz")}), List.of(0, 1, 2));
            s.write(val.resolve(FolderEvaluator.SUMMARY), "", "", "", "test");
        }
    }

    @Test
    @DisplayName("figure_out_what_to_submit: configurations scored on pooled folds, the pair ensemble wins, v1 commands")
    void ensembleWins() throws IOException {
        ModelSelection selection = new ModelSelection(paths, log::add);
        ModelSelection.Result r = selection.run(task, List.of("2d", "3d_fullres", "3d_lowres"),
                List.of(0, 1, 2, 3, 4), false, true);
        assertEquals((112.0 / 120 + 0) / 2, r.scores().get("2d"), 1e-6);
        assertEquals((112.0 / 113 + 1) / 2, r.scores().get("3d_fullres"), 1e-6);
        assertEquals(1.0, r.scores().get(ENSEMBLE), 1e-9);
        assertEquals(ENSEMBLE, r.best());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).startsWith("3d_lowres: folds [4] not trained/validated"), r.skipped().get(0));

        Path pp = paths.results().resolve("nnUNet/ensembles/Task005_Sel").resolve(ENSEMBLE)
                .resolve("postprocessing.json");
        String expected = "nnUNet_predict -i FOLDER_WITH_TEST_CASES -o OUTPUT_FOLDER_MODEL1 -tr nnUNetTrainerV2 -ctr "
                + "nnUNetTrainerV2CascadeFullRes -m 2d -p nnUNetPlansv2.1 -t Task005_Sel --save_npz\n"
                + "nnUNet_predict -i FOLDER_WITH_TEST_CASES -o OUTPUT_FOLDER_MODEL2 -tr nnUNetTrainerV2 -ctr "
                + "nnUNetTrainerV2CascadeFullRes -m 3d_fullres -p nnUNetPlansv2.1 -t Task005_Sel --save_npz\n"
                + "nnUNet_ensemble -f OUTPUT_FOLDER_MODEL1 OUTPUT_FOLDER_MODEL2 -o OUTPUT_FOLDER -pp " + pp + "\n";
        assertEquals(expected, r.predictionCommands());
        assertTrue(log.contains(expected), "commands printed");
        assertEquals(expected, Files.readString(pp.getParent().getParent().resolve("prediction_commands.txt")));
        assertEquals(List.of(), PostprocessingPlan.read(pp).forWhichClasses());
        assertEquals(5, FolderEvaluator.niftiNames(pp.getParent().resolve(ValidationEnsemble.RAW)).size());
    }

    @Test
    @DisplayName("consolidate_folds pools the 5 folds into cv_niftis_raw and writes the model's postprocessing.json "
            + "(largest component of all foreground, removing the island)")
    void consolidateWritesPostprocessing() throws IOException {
        Path model = new ModelSelection(paths, log::add).modelFolder("3d_fullres", task);
        EvaluationSummary s = FoldConsolidation.consolidate(model,
                paths.preprocessedTask(task).resolve("gt_segmentations"), "validation_raw", List.of(0, 1, 2, 3, 4),
                log::add);
        assertEquals(5, s.all().size());
        assertEquals(112.0 / 113, s.meanDice(1), 1e-6);
        assertEquals(1.0, s.meanDice(2), 1e-9);
        assertEquals(5, FolderEvaluator.niftiNames(model.resolve("cv_niftis_raw")).size());
        assertTrue(Files.isRegularFile(model.resolve("cv_niftis_raw/summary.json")));
        PostprocessingPlan pp = PostprocessingPlan.read(model.resolve("postprocessing.json"));
        assertEquals(List.of(Region.joint(List.of(1, 2))), pp.forWhichClasses());
        EvaluationSummary post = EvaluationSummary.read(model.resolve("cv_niftis_postprocessed/summary.json"));
        assertEquals(1.0, post.meanDice(1), 1e-9);
    }

    @Test
    @DisplayName("--strict: a configuration with a missing fold is an error naming the folds; consolidating it too")
    void strictFailsOnMissingFold() {
        ModelSelection selection = new ModelSelection(paths, log::add);
        IOException e = assertThrows(IOException.class, () -> selection.run(task, List.of("3d_fullres", "3d_lowres"),
                List.of(0, 1, 2, 3, 4), true, true));
        assertTrue(e.getMessage().contains("3d_lowres: folds [4] not trained/validated"), e.getMessage());
        Path lowres = selection.modelFolder("3d_lowres", task);
        IOException c = assertThrows(IOException.class, () -> FoldConsolidation.consolidate(lowres,
                paths.preprocessedTask(task).resolve("gt_segmentations"), "validation_raw", List.of(0, 1, 2, 3, 4),
                log::add));
        assertTrue(c.getMessage().contains("fold 4 is not trained"), c.getMessage());
    }
}
