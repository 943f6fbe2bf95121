package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.preprocessing.PlansPreprocessing;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.NpyArray;
import picocli.CommandLine;

/**
 * {@code nnUNet_train 3d_cascade_fullres nnUNetTrainerV2CascadeFullRes} and {@code nnUNet_predict -m
 * 3d_cascade_fullres} (v1 run_training + predict_simple) on the generated Task009_Tiny (cases cropped by a 2-voxel
 * zero border, so the lowres segmentation's crop matters). The planner gives these small images one stage, so the
 * plans are rewritten to two stages (lowres at twice the spacing) and preprocessed again. Set-up: 3d_lowres fold 0
 * (1 epoch x 2 iterations), which writes its validation case's pred_next_stage; the held-out cases of the other four
 * lowres folds get their ground truth in pred_next_stage instead of training four more folds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CascadeCommandsTest {

    @TempDir
    static Path dir;
    static String[] pathFlags;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of(args), Stream.of(pathFlags)).toArray(String[]::new);
        int rc = NnUNet.execute(cl, all);
        return new Run(rc, out.toString(), err.toString());
    }

    private static Path pre() {
        return dir.resolve("pre/Task009_Tiny");
    }

    private static Path results(String config, String trainer) {
        return dir.resolve("res/nnUNet").resolve(config).resolve("Task009_Tiny")
                .resolve(trainer + "__nnUNetPlansv2.1");
    }

    private static Path imagesTs() {
        return dir.resolve("raw/nnUNet_raw_data/Task009_Tiny/imagesTs");
    }

    @BeforeAll
    static void twoStageTaskAndLowresFold() throws IOException {
        pathFlags = new String[] {"--nnUNet_raw_data_base", dir.resolve("raw").toString(),
                "--nnUNet_preprocessed", dir.resolve("pre").toString(), "--RESULTS_FOLDER", dir.resolve("res").toString()};
        Path decathlon = TinyDecathlonTask.write(dir.resolve("in"), 5, 2);
        StringWriter out = new StringWriter();
        CommandLine cl = NnUNet.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, NnUNet.execute(cl, "convert_decathlon_task", "-i", decathlon.toString(),
                "--nnUNet_raw_data_base", dir.resolve("raw").toString()));
        Run plan = run("plan_and_preprocess", "-t", "9", "-pl2d", "None", "-tl", "1", "-tf", "1");
        assertEquals(0, plan.exitCode(), plan.err());

        Path plansFile = pre().resolve(PlansIO.PLANS_3D);
        Plans two = twoStages(PlansIO.read(plansFile));
        PlansIO.write(two, plansFile);
        new PlansPreprocessing().run(two, new CroppedDataFolder(dir.resolve("raw/nnUNet_cropped_data/Task009_Tiny")),
                pre(), 1, 1);

        Run lowres = run("train", "3d_lowres", "nnUNetTrainerV2", "9", "0", "--epochs", "1", "--iterations", "2",
                "--val_iterations", "1");
        assertEquals(0, lowres.exitCode(), lowres.err());
    }

    /** Full resolution: the cropped image (16x20x24) as patch; lowres at twice the spacing, patch 8x8x12. */
    static Plans twoStages(Plans p) {
        StagePlan full = p.stage(0);
        int[][] pools = {{2, 2, 2}, {2, 2, 2}};
        int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        double[] fs = full.currentSpacing();
        int[] m = full.medianPatientSizeInVoxels();
        StagePlan low = new StagePlan(2, new int[] {2, 2, 2}, new int[] {8, 8, 12},
                new int[] {m[0] / 2, m[1] / 2, m[2] / 2}, new double[] {fs[0] * 2, fs[1] * 2, fs[2] * 2},
                full.originalSpacing(), false, pools, convs);
        StagePlan fullSmall = new StagePlan(2, new int[] {2, 2, 2}, new int[] {16, 20, 24}, m, fs,
                full.originalSpacing(), false, pools, convs);
        return new Plans(2, p.numModalities(), p.modalities(), p.normalizationSchemes(), p.datasetProperties(),
                p.listOfNpzFiles(), p.originalSpacings(), p.originalSizes(), p.preprocessedDataFolder(),
                p.numClasses(), p.allClasses(), p.baseNumFeatures(), p.useMaskForNorm(), p.transposeForward(),
                p.transposeBackward(), p.dataIdentifier(), Map.of(0, low, 1, fullSmall), p.preprocessorName(),
                p.convPerStage());
    }

    /** Ground truth as pred_next_stage for the cases no trained lowres fold predicted. */
    private static void fillPredNextStage() throws IOException {
        Path folder = results("3d_lowres", "nnUNetTrainerV2").resolve(PreviousStageSegmentations.FOLDER);
        Plans plans = PlansIO.read(pre().resolve(PlansIO.PLANS_3D));
        PreprocessedDataFolder stage1 = PreprocessedDataFolder.stage(pre(), plans.dataIdentifier(), 1);
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            Path f = PreviousStageSegmentations.file(folder, id);
            if (!Files.exists(f)) {
                NpyArray d = stage1.readData(id);
                float[] seg = d.slice(d.shape()[0] - 1);
                int[] labels = new int[seg.length];
                for (int v = 0; v < seg.length; v++) {
                    labels[v] = Math.max(0, (int) seg[v]);
                }
                LabelNpz.write(f, new int[] {d.shape()[1], d.shape()[2], d.shape()[3]}, labels);
            }
        }
    }

    @Test
    @Order(1)
    @DisplayName("nnUNet_train: the cascade trainer only for 3d_cascade_fullres; without pred_next_stage it names the "
            + "folder; then it trains fold 0 into nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1 and predicts")
    void trainAndPredictCascade() throws IOException {
        Run wrongTrainer = run("train", "3d_fullres", "nnUNetTrainerV2CascadeFullRes", "9", "0");
        assertEquals(2, wrongTrainer.exitCode());
        assertTrue(wrongTrainer.err().contains("trains it with nnUNetTrainerV2"), wrongTrainer.err());
        Run wrongCascadeTrainer = run("train", "3d_cascade_fullres", "nnUNetTrainerV2", "9", "0");
        assertEquals(2, wrongCascadeTrainer.exitCode());
        assertTrue(wrongCascadeTrainer.err().contains("nnUNetTrainerV2CascadeFullRes"), wrongCascadeTrainer.err());

        Run incomplete = run("train", "3d_cascade_fullres", "nnUNetTrainerV2CascadeFullRes", "9", "0", "--epochs",
                "1", "--iterations", "1", "--val_iterations", "1");
        assertEquals(1, incomplete.exitCode());
        assertTrue(incomplete.err().contains("seg from prev stage missing"), incomplete.err());

        fillPredNextStage();
        Run cascade = run("train", "3d_cascade_fullres", "nnUNetTrainerV2CascadeFullRes", "9", "0", "--epochs", "1",
                "--iterations", "2", "--val_iterations", "1");
        assertEquals(0, cascade.exitCode(), cascade.err());
        Path model = results("3d_cascade_fullres", "nnUNetTrainerV2CascadeFullRes");
        assertTrue(Files.isRegularFile(model.resolve("fold_0/model_final_checkpoint.model")));
        assertTrue(Files.isRegularFile(model.resolve("fold_0/validation_raw/summary.json")));

        // nnUNet_predict -m 3d_cascade_fullres: the lowres model first, into OUTPUT/3d_lowres_predictions
        Path out = dir.resolve("pred_cascade");
        Run predict = run("predict", "-i", imagesTs().toString(), "-o", out.toString(), "-t", "9", "-m",
                "3d_cascade_fullres", "--disable_tta");
        assertEquals(0, predict.exitCode(), predict.err());
        assertTrue(predict.out().contains("Predicting 3d_lowres first"), predict.out());
        for (String id : new String[] {"tiny_005", "tiny_006"}) {
            Volume in = NiftiIO.read(imagesTs().resolve(id + "_0000.nii.gz"));
            Volume lowres = NiftiIO.read(out.resolve("3d_lowres_predictions").resolve(id + ".nii.gz"));
            Volume p = NiftiIO.read(out.resolve(id + ".nii.gz"));
            assertArrayEquals(in.shape(), lowres.shape());
            assertArrayEquals(in.shape(), p.shape());
            assertArrayEquals(in.geometry().itkOrigin(), p.geometry().itkOrigin(), 1e-6);
            for (float v : p.data()) {
                assertTrue(v == 0 || v == 1 || v == 2, "label " + v);
            }
        }

        // -l: given lowres segmentations; a missing one is named before any compute
        Path lowresIn = dir.resolve("lowres_given");
        Files.createDirectories(lowresIn);
        Files.copy(out.resolve("3d_lowres_predictions/tiny_005.nii.gz"), lowresIn.resolve("tiny_005.nii.gz"));
        Run missing = run("predict", "-i", imagesTs().toString(), "-o", dir.resolve("pred_l_missing").toString(),
                "-t", "9", "-m", "3d_cascade_fullres", "-l", lowresIn.toString(), "--disable_tta");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("tiny_006.nii.gz"), missing.err());
        Files.copy(out.resolve("3d_lowres_predictions/tiny_006.nii.gz"), lowresIn.resolve("tiny_006.nii.gz"));
        Path outL = dir.resolve("pred_l");
        Run given = run("predict", "-i", imagesTs().toString(), "-o", outL.toString(), "-t", "9", "-m",
                "3d_cascade_fullres", "-l", lowresIn.toString(), "--disable_tta");
        assertEquals(0, given.exitCode(), given.err());
        assertTrue(!Files.exists(outL.resolve("3d_lowres_predictions")), "no lowres prediction with -l");
        for (String id : new String[] {"tiny_005", "tiny_006"}) {
            assertArrayEquals(NiftiIO.read(out.resolve(id + ".nii.gz")).data(),
                    NiftiIO.read(outL.resolve(id + ".nii.gz")).data(), 0f, id + ": same segmentations with -l");
        }
    }

    @Test
    @Order(2)
    @DisplayName("nnUNet_pipeline -m 3d_cascade_fullres,3d_lowres: 3d_lowres is handled first; the cascade (first "
            + "configuration, no model selection with one fold) predicts imagesTs after its lowres model")
    void pipelineOrdersAndPredictsTheCascade() throws IOException {
        Path work = dir.resolve("work");
        Run r = run("pipeline", "-i", dir.resolve("in/Task09_Tiny").toString(), "-o", work.toString(), "-m",
                "3d_cascade_fullres,3d_lowres", "-f", "0", "--epochs", "1", "--iterations", "2", "--val_iterations",
                "1", "--disable_tta", "-p", "1");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        int lowres = r.out().indexOf("== 3d_lowres fold 0: trained, validated");
        int cascade = r.out().indexOf("== 3d_cascade_fullres fold 0: trained, validated");
        assertTrue(lowres >= 0 && cascade > lowres, r.out());
        Path predictions = work.resolve("predictionsTs");
        for (String id : new String[] {"tiny_005", "tiny_006"}) {
            assertTrue(Files.isRegularFile(predictions.resolve(id + ".nii.gz")), id);
            assertTrue(Files.isRegularFile(predictions.resolve("3d_lowres_predictions").resolve(id + ".nii.gz")), id);
        }
    }
}
