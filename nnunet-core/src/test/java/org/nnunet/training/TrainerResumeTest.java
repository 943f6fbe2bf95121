package org.nnunet.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.RawCase;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.preprocessing.PlansPreprocessing;

/**
 * nnUNet_train {@code -c} (v1 {@code load_latest_checkpoint} + {@code run_training}): 4 epochs straight and 2 epochs,
 * stop, new trainer, resume from {@code model_latest}, 2 more epochs must end with the same weights bit for bit
 * (same weights, momentum buffers, learning rate and per-epoch data seeds). Also checks the fold folder nnU-Net
 * writes: the three checkpoints, progress.png, debug.json, validation_raw at the raw geometry and its summary.json.
 * Task: 5 generated cases of 20x24x28 voxels at 1 mm, two blocks as labels 1 and 2, planned and preprocessed here.
 * Bit-identical with 1 and with 2 intra-op threads (libtorch's CPU kernels split work the same way every run).
 */
class TrainerResumeTest {
    private static final int[] SHAPE = {20, 24, 28};
    private static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1, 1, 1},
            new double[] {-12.5, 30, 4}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path preprocessed;

    @BeforeAll
    static void planAndPreprocess() throws IOException {
        Path raw = dir.resolve("raw");
        Files.createDirectories(raw.resolve("imagesTr"));
        Files.createDirectories(raw.resolve("labelsTr"));
        List<RawCase> cases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            Path image = raw.resolve("imagesTr/" + id + "_0000.nii.gz");
            Path label = raw.resolve("labelsTr/" + id + ".nii.gz");
            writeCase(i, image, label);
            cases.add(new RawCase(id, List.of(image), label));
        }
        Path datasetJson = raw.resolve("dataset.json");
        Files.writeString(datasetJson, """
                {"name": "Tiny", "description": "", "tensorImageSize": "3D", "reference": "", "licence": "",
                 "release": "0", "modality": {"0": "MRI"}, "labels": {"0": "background", "1": "a", "2": "b"},
                 "numTraining": 5, "numTest": 0, "training": [], "test": []}""");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("0", "background");
        labels.put("1", "a");
        labels.put("2", "b");
        preprocessed = dir.resolve("preprocessed");
        new PlanAndPreprocess(cases, datasetJson, labels, Map.of(0, "MRI"), dir.resolve("cropped"), preprocessed,
                1, 1, true, false).run(new PlansPreprocessing(), s -> { });
    }

    /** A noisy background with label 1 and label 2 blocks at a case-dependent offset, each brighter than the last. */
    private static void writeCase(int index, Path image, Path label) throws IOException {
        SplittableRandom rng = new SplittableRandom(100 + index);
        int n = SHAPE[0] * SHAPE[1] * SHAPE[2];
        float[] img = new float[n];
        float[] seg = new float[n];
        for (int z = 0; z < SHAPE[0]; z++) {
            for (int y = 0; y < SHAPE[1]; y++) {
                for (int x = 0; x < SHAPE[2]; x++) {
                    int i = (z * SHAPE[1] + y) * SHAPE[2] + x;
                    boolean inY = y >= 6 + index % 3 && y < 16 + index % 3;
                    boolean inZ = z >= 5 && z < 14;
                    int cls = !inY || !inZ ? 0 : x >= 5 + index && x < 12 + index ? 1
                            : x >= 12 + index && x < 18 + index ? 2 : 0;
                    seg[i] = cls;
                    img[i] = 100 + 50 * cls + (float) rng.nextGaussian() * 10;
                }
            }
        }
        NiftiIO.write(new Volume(SHAPE, img, GEOMETRY), NiftiDataType.FLOAT32, image);
        NiftiIO.write(new Volume(SHAPE, seg, GEOMETRY), NiftiDataType.UINT8, label);
    }

    private static TrainerSettings settings() {
        return new TrainerSettings("3d_fullres", 0, 4, 2, 2, 50, 2, 12345, "cpu", false);
    }

    @Test
    @DisplayName("-c: 2 epochs + resume 2 epochs = 4 epochs straight (weights bit for bit); nnU-Net fold folder layout")
    void resumeGivesSameWeightsAndFoldFolder() throws IOException {
        Path straight = dir.resolve("straight/fold_0");
        Map<String, float[]> expected;
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings(), preprocessed, straight, s -> { })) {
            assertTrue(trainer.train(() -> false));
            expected = weights(trainer);
            EvaluationSummary summary = trainer.validate(preprocessed.resolve("gt_segmentations"));
            assertEquals(1, summary.all().size(), "fold 0 of 5 cases validates one case");
        }

        Path resumed = dir.resolve("resumed/fold_0");
        AtomicInteger epochsDone = new AtomicInteger();
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings(), preprocessed, resumed, s -> { })) {
            assertFalse(trainer.train(() -> epochsDone.incrementAndGet() == 2), "stopped after epoch 2");
            assertEquals(2, trainer.progress().epoch());
        }
        assertTrue(Files.isRegularFile(resumed.resolve("model_latest.model")));
        assertFalse(Files.exists(resumed.resolve("model_final_checkpoint.model.json")));
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings(), preprocessed, resumed, s -> { })) {
            assertTrue(trainer.loadLatestCheckpoint());
            assertEquals(2, trainer.progress().epoch());
            assertTrue(trainer.train(() -> false));
            Map<String, float[]> actual = weights(trainer);
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name), actual.get(name), 0f, name);
            }
        }
        TrainingProgress a = TrainerCheckpoint.readMeta(straight, "model_final_checkpoint").progress();
        TrainingProgress b = TrainerCheckpoint.readMeta(resumed, "model_final_checkpoint").progress();
        assertEquals(4, a.epoch());
        assertEquals(a.trainLosses(), b.trainLosses(), "same per-epoch training losses");
        assertEquals(a.valEvalMetrics(), b.valEvalMetrics(), "same per-epoch pseudo Dice");

        assertFoldFolder(straight);
    }

    private static Map<String, float[]> weights(NnUNetTrainerV2 trainer) {
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : trainer.network().getParameters()) {
            w.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return w;
    }

    private static void assertFoldFolder(Path fold) throws IOException {
        for (String name : List.of("model_latest", "model_best", "model_final_checkpoint")) {
            for (String suffix : List.of(".model", ".model.optimizer", ".model.json")) {
                assertTrue(Files.size(fold.resolve(name + suffix)) > 0, name + suffix);
            }
        }
        BufferedImage png = ImageIO.read(fold.resolve("progress.png").toFile());
        assertTrue(png != null && png.getWidth() >= 400 && png.getHeight() >= 300,
                "progress.png is a PNG plot, got " + (png == null ? "no image" : png.getWidth() + "x" + png.getHeight()));

        JsonNode debug = JSON.readTree(fold.resolve("debug.json").toFile());
        for (String field : List.of("trainer", "plans_per_stage", "architecture", "parameters", "batch_dice",
                "deep_supervision_weights", "basic_generator_patch_size", "mirror_axes", "dataset_train",
                "dataset_val")) {
            assertTrue(debug.has(field), "debug.json has " + field);
        }
        assertEquals("nnUNetTrainerV2", debug.get("trainer").asText());
        assertEquals(4, debug.get("dataset_train").size());
        assertEquals(1, debug.get("dataset_val").size());
        assertFalse(debug.get("batch_dice").asBoolean(), "3d_fullres of a one-stage plan: per-sample Dice");

        String valCase = debug.get("dataset_val").get(0).asText();
        Path prediction = fold.resolve("validation_raw/" + valCase + ".nii.gz");
        Volume predicted = NiftiIO.read(prediction);
        assertArrayEquals(SHAPE, predicted.shape(), "prediction at the raw shape");
        assertArrayEquals(GEOMETRY.itkSpacing(), predicted.geometry().itkSpacing(), 1e-6);
        assertArrayEquals(GEOMETRY.itkOrigin(), predicted.geometry().itkOrigin(), 1e-6);
        assertArrayEquals(GEOMETRY.itkDirection(), predicted.geometry().itkDirection(), 1e-6);
        for (float v : predicted.data()) {
            assertTrue(v == 0 || v == 1 || v == 2, "labels 0..2, got " + v);
        }
        JsonNode summary = JSON.readTree(fold.resolve("validation_raw/summary.json").toFile());
        JsonNode results = summary.get("results");
        assertEquals(1, results.get("all").size());
        for (String label : List.of("1", "2")) {
            double dice = results.get("mean").get(label).get("Dice").asDouble();
            assertTrue(dice >= 0 && dice <= 1, "Dice of label " + label + ": " + dice);
        }
    }
}
