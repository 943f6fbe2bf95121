package org.nnunet.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.NpyArray;

/**
 * The v1.7.1 cascade on {@link TwoStageTinyTask}: a 3d_lowres fold writes {@code pred_next_stage} (run_training +
 * predict_next_stage), nnUNetTrainerV2CascadeFullRes refuses to start without it (naming the folder, as v1's
 * RuntimeError does), and with it trains on 1 modality + 2 one-hot channels into
 * {@code 3d_cascade_fullres/.../nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1/fold_0}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CascadeTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path preprocessed;
    static Path results;

    @BeforeAll
    static void createTask() throws IOException {
        preprocessed = TwoStageTinyTask.create(dir);
        results = dir.resolve("results/nnUNet");
    }

    private static Path foldDir(String configuration, String trainer, int fold) {
        return results.resolve(configuration).resolve("Task001_Tiny")
                .resolve(trainer + "__" + TrainerSettings.PLANS_IDENTIFIER).resolve("fold_" + fold);
    }

    private static TrainerSettings settings(String configuration) {
        return new TrainerSettings(configuration, 0, 1, 2, 1, 50, 1, 12345, "cpu", false);
    }

    private static Path predNextStage() {
        return foldDir("3d_lowres", "nnUNetTrainerV2", 0).getParent().resolve("pred_next_stage");
    }

    @Test
    @Order(1)
    @DisplayName("nnUNetTrainerV2CascadeFullRes refuses to start before 3d_lowres predicted the next stage")
    void cascadeRefusesWithoutLowresPredictions() {
        Path fold = foldDir("3d_cascade_fullres", TrainerSettings.CASCADE_TRAINER_NAME, 0);
        IOException e = assertThrows(IOException.class,
                () -> new NnUNetTrainerV2(settings("3d_cascade_fullres"), preprocessed, fold, s -> { }).close());
        assertTrue(e.getMessage().contains(predNextStage().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("3d_lowres"), e.getMessage());
    }

    @Test
    @Order(2)
    @DisplayName("3d_lowres fold 0: after validation, predict_next_stage writes pred_next_stage/<case>_segFromPrevStage.npz"
            + " at the stage 1 shape")
    void lowresWritesNextStagePredictions() throws IOException {
        Path fold = foldDir("3d_lowres", "nnUNetTrainerV2", 0);
        List<String> val;
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings("3d_lowres"), preprocessed, fold, s -> { })) {
            trainer.train();
            val = trainer.split().val();
            EvaluationSummary summary = trainer.validate(preprocessed.resolve("gt_segmentations"));
            assertEquals(val.size(), summary.all().size());
            assertTrue(trainer.hasNextStage());
            assertEquals(predNextStage(), trainer.predictNextStage());
        }
        Plans plans = PlansIO.read(preprocessed.resolve(PlansIO.PLANS_3D));
        PreprocessedDataFolder stage1 = PreprocessedDataFolder.stage(preprocessed, plans.dataIdentifier(), 1);
        try (Stream<Path> files = Files.list(predNextStage())) {
            assertEquals(val.size(), files.count(), "one prediction per validation case of the fold");
        }
        for (String id : val) {
            NpyArray seg = LabelNpz.read(PreviousStageSegmentations.file(predNextStage(), id));
            int[] s = stage1.readData(id).shape();
            assertArrayEquals(new int[] {s[1], s[2], s[3]}, seg.shape(), "full-resolution stage shape");
            for (float v : seg.data()) {
                assertTrue(v == 0 || v == 1 || v == 2, "labels 0..2, got " + v);
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("a case without its lowres prediction is refused, naming the missing file (v1 do_split assertion)")
    void cascadeRefusesMissingCase() {
        Path fold = foldDir("3d_cascade_fullres", TrainerSettings.CASCADE_TRAINER_NAME, 0);
        IOException e = assertThrows(IOException.class,
                () -> new NnUNetTrainerV2(settings("3d_cascade_fullres"), preprocessed, fold, s -> { }).close());
        assertTrue(e.getMessage().contains("_segFromPrevStage.npz"), e.getMessage());
    }

    @Test
    @Order(4)
    @DisplayName("3d_cascade_fullres: network input = 1 modality + 2 one-hot channels; trains, validates, debug.json")
    void cascadeTrainsAndValidates() throws IOException {
        // the other four lowres folds are not trained here: their held-out cases get the ground truth instead
        Plans plans = PlansIO.read(preprocessed.resolve(PlansIO.PLANS_3D));
        PreprocessedDataFolder stage1 = PreprocessedDataFolder.stage(preprocessed, plans.dataIdentifier(), 1);
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            Path f = PreviousStageSegmentations.file(predNextStage(), id);
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
        Path fold = foldDir("3d_cascade_fullres", TrainerSettings.CASCADE_TRAINER_NAME, 0);
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings("3d_cascade_fullres"), preprocessed, fold,
                s -> { })) {
            assertEquals(3, trainer.network().architecture().inputChannels(), "1 modality + (3 classes - 1)");
            assertEquals(3, trainer.network().architecture().numClasses());
            assertArrayEquals(new int[] {20, 24, 28}, trainer.stagePlan().patchSize(), "full-resolution stage");
            trainer.train();
            EvaluationSummary summary = trainer.validate(preprocessed.resolve("gt_segmentations"));
            assertEquals(1, summary.all().size());
        }
        assertTrue(Files.isRegularFile(fold.resolve("model_final_checkpoint.model")));
        assertTrue(Files.isRegularFile(fold.resolve("validation_raw/summary.json")));
        JsonNode debug = JSON.readTree(fold.resolve("debug.json").toFile());
        assertEquals("nnUNetTrainerV2CascadeFullRes", debug.get("trainer").asText());
        assertTrue(debug.get("batch_dice").asBoolean(), "two-stage plans: batch Dice");
        assertEquals(predNextStage().toString(), debug.get("folder_with_segs_from_prev_stage").asText());
        try (Stream<Path> unpacked = Files.list(preprocessed.resolve("segs_prev_stage"))) {
            assertEquals(5, unpacked.count(), "the lowres predictions unpacked next to the preprocessed data");
        }
        TrainerCheckpoint.Meta meta = TrainerCheckpoint.readMeta(fold, "model_final_checkpoint");
        assertEquals("3d_cascade_fullres", meta.configuration());
    }
}
