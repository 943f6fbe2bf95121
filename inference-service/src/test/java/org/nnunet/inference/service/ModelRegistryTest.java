package org.nnunet.inference.service;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPackage;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.training.NesterovSgd;
import org.nnunet.training.TrainerCheckpoint;
import org.nnunet.training.TrainingProgress;
import org.nnunet.training.TrainingSetup;
import org.nnunet.planning.PlansIO;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry without Quarkus, on a filesystem store: the promoted model is loaded at start, a swap leaves a held
 * model usable until its last lease is released, then frees it. The package holds a freshly initialised network
 * (weights do not matter here), saved as a final checkpoint.
 */
class ModelRegistryTest {

    @TempDir
    Path tmp;

    static InferenceConfig config(Path workDir, List<String> tasks) {
        return new InferenceConfig() {
            public Optional<List<String>> tasks() {
                return Optional.of(tasks);
            }

            public String device() {
                return "cpu";
            }

            public Path workDir() {
                return workDir;
            }

            public int maxUploadMb() {
                return 64;
            }

            public long maxVoxels() {
                return 64_000_000;
            }

            public int maxJobCases() {
                return 10;
            }

            public MemoryTrim memoryTrim() {
                return new MemoryTrim() {
                    public boolean enabled() {
                        return false;
                    }

                    public Duration idle() {
                        return Duration.ofSeconds(10);
                    }
                };
            }
        };
    }

    /** Plans of the tiny task and an initialised (untrained) fold 0 saved as model_final_checkpoint. */
    private Map.Entry<Path, Path> untrainedFold() throws IOException {
        Path plansFile = TinyModel.plan(tmp.resolve("work"));
        Path foldDir = tmp.resolve("fold_0");
        try (NDManager manager = NDManager.newBaseManager();
             TrainingSetup setup = TrainingSetup.forPlans(PlansIO.read(plansFile), "3d_fullres", manager, 1)) {
            NesterovSgd optimizer = setup.optimizer();
            TrainerCheckpoint.save(foldDir, ModelPackage.CHECKPOINT, setup.network(), optimizer,
                    new TrainerCheckpoint.Meta("3d_fullres", "nnUNetPlansv2.1", 0, TrainingProgress.start(0.99), 0, 0));
        }
        return Map.entry(foldDir, plansFile);
    }

    @Test
    @DisplayName("promoted model loaded at start; hot swap keeps a leased model working and frees it on the last"
            + " release; a repeated refresh is a no-op")
    void startSwapRelease() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        Map.Entry<Path, Path> fold = untrainedFold();
        TinyModel.publish(store, fold, "v1");
        TinyModel.publish(store, fold, "v2");
        ModelPackage.promote(store, TinyModel.TASK, "v1");

        ModelRegistry registry = new ModelRegistry(store, config(tmp.resolve("serving"), List.of(TinyModel.TASK,
                "Task043_Other")));
        assertEquals("no-model", registry.state(TinyModel.TASK).state());
        registry.onStart(null);
        assertEquals("loaded", registry.state(TinyModel.TASK).state());
        assertEquals("v1", registry.state(TinyModel.TASK).version());
        assertEquals("no-model", registry.states().get("Task043_Other").state());
        assertThrows(ApiException.class, () -> registry.acquire("Task043_Other"));

        ImageGeometry g = ImageGeometry.identity(new double[] {1, 1, 1});
        List<Volume> image = List.of(TinyModel.image(1, 0, g), TinyModel.image(1, 1, g));
        try (ModelRegistry.Lease held = registry.acquire(TinyModel.TASK)) {
            ModelPackage.promote(store, TinyModel.TASK, "v2");
            assertEquals(Optional.of("v2"), registry.refresh(TinyModel.TASK));
            assertEquals("v2", registry.manifest(TinyModel.TASK).orElseThrow().version());
            // the old model still answers for the request that holds it
            assertEquals("v1", held.manifest().version());
            Path out = tmp.resolve("held.nii.gz");
            held.predictor().predict("held", image, out);
            assertTrue(Files.size(out) > 0);
            assertEquals(2, entries(tmp.resolve("serving/models/" + TinyModel.TASK)),
                    "both versions on disk while v1 is held");
        }
        assertEquals(1, entries(tmp.resolve("serving/models/" + TinyModel.TASK)), "v1 freed after its last lease");
        assertEquals(Optional.of("v2"), registry.refresh(TinyModel.TASK));
        try (ModelRegistry.Lease now = registry.acquire(TinyModel.TASK)) {
            assertEquals("v2", now.manifest().version());
            assertArrayEquals(TinyModel.SHAPE,
                    now.predictor().predict("now", image, tmp.resolve("now.nii.gz")).shape());
        }
        registry.onStop(null);
        assertEquals(0, entries(tmp.resolve("serving/models/" + TinyModel.TASK)), "all freed at shutdown");
    }

    private static long entries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
