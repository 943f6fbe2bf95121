package org.nnunet.inference.service;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.CascadePackage;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.training.TrainerCheckpoint;
import org.nnunet.training.TrainingProgress;
import org.nnunet.training.TrainingSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A promoted {@link CascadePackage} is served as v1 {@code nnUNet_predict -m 3d_cascade_fullres} predicts: the
 * 3d_lowres folds segment the case, then the cascade's folds (1 more input channel per foreground class) segment it
 * with that segmentation; the answer has the input's shape and geometry. The same for a pair ensemble with the
 * cascade as a member. The networks are freshly initialised (the
 * weights do not matter here) on two-stage plans of the tiny two-modality task.
 */
class ModelRegistryCascadeTest {

    @TempDir
    Path tmp;

    /** An initialised network of {@code configuration} saved as fold 0's final checkpoint. */
    private Path untrainedFold(Path plansFile, String configuration) throws IOException {
        Path foldDir = tmp.resolve(configuration).resolve("fold_0");
        try (NDManager manager = NDManager.newBaseManager();
             TrainingSetup setup = TrainingSetup.forPlans(PlansIO.read(plansFile), configuration, manager, 1)) {
            TrainerCheckpoint.save(foldDir, ModelPackage.CHECKPOINT, setup.network(), setup.optimizer(),
                    new TrainerCheckpoint.Meta(configuration, "nnUNetPlansv2.1", 0, TrainingProgress.start(0.99), 0, 0));
        }
        return foldDir;
    }

    @Test
    @DisplayName("a promoted pair ensemble 3d_lowres + 3d_cascade_fullres is served: the cascade member gets its "
            + "lowres input first; the answer has the input's geometry")
    void ensembleWithCascadeMemberIsServed() throws IOException {
        Path plansFile = TinyModel.plan(tmp.resolve("work"));
        PlansIO.write(TinyVersion.twoStages(PlansIO.read(plansFile)), plansFile);
        Path lowres = untrainedFold(plansFile, "3d_lowres");
        Path cascade = untrainedFold(plansFile, "3d_cascade_fullres");
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        String name = "ensemble_3d_lowres__nnUNetTrainerV2__nnUNetPlansv2.1"
                + "--3d_cascade_fullres__nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1";
        ModelPackage.Manifest manifest = new ModelPackage.Manifest(TinyModel.TASK, "v1", name, List.of(0),
                Map.of("mean_dice", 0.5), "v1", "2026-11-27T00:00:00Z");
        EnsemblePackage.write(store, manifest, Map.of("3d_lowres", plansFile, "3d_cascade_fullres", plansFile),
                Map.of("3d_lowres", Map.of(0, lowres), "3d_cascade_fullres", Map.of(0, cascade)), null,
                Map.of(0, lowres));
        ModelPackage.promote(store, TinyModel.TASK, "v1");
        assertServesAtInputGeometry(store);
    }

    @Test
    @DisplayName("a promoted 3d_cascade_fullres package is loaded with its 3d_lowres folds and segments a case at "
            + "the input's geometry")
    void cascadePackageIsServed() throws IOException {
        Path plansFile = TinyModel.plan(tmp.resolve("work"));
        Plans two = TinyVersion.twoStages(PlansIO.read(plansFile));
        PlansIO.write(two, plansFile);
        Path lowres = untrainedFold(plansFile, "3d_lowres");
        Path cascade = untrainedFold(plansFile, "3d_cascade_fullres");
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        ModelPackage.Manifest manifest = new ModelPackage.Manifest(TinyModel.TASK, "v1", "3d_cascade_fullres",
                List.of(0), Map.of("mean_dice", 0.5), "v1", "2026-11-27T00:00:00Z");
        CascadePackage.write(store, manifest, plansFile, null, Map.of(0, cascade), plansFile, null, Map.of(0, lowres));
        ModelPackage.promote(store, TinyModel.TASK, "v1");
        assertServesAtInputGeometry(store);
    }

    /** Loads the promoted model, segments a case with a rotated, shifted geometry and checks the answer. */
    private void assertServesAtInputGeometry(FileSystemObjectStore store) throws IOException {
        String configuration = ModelPackage.readManifest(store, TinyModel.TASK, "v1").configuration();
        ModelRegistry registry = new ModelRegistry(store, ModelRegistryTest.config(tmp.resolve("serving"),
                List.of(TinyModel.TASK)));
        registry.onStart(null);
        try {
            assertEquals("loaded", registry.state(TinyModel.TASK).state(), registry.states().toString());
            assertEquals(configuration, registry.manifest(TinyModel.TASK).orElseThrow().configuration());
            ImageGeometry g = new ImageGeometry(new double[] {1, 1, 1}, new double[] {-12.5, 30, 4},
                    new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1});
            List<Volume> image = List.of(TinyModel.image(1, 0, g), TinyModel.image(1, 1, g));
            Path out = tmp.resolve("case.nii.gz");
            try (ModelRegistry.Lease lease = registry.acquire(TinyModel.TASK)) {
                assertEquals(2, lease.predictor().numModalities());
                LabelVolume labels = lease.predictor().predict("case", image, out);
                assertArrayEquals(TinyModel.SHAPE, labels.shape());
            }
            Volume written = NiftiIO.read(out);
            assertArrayEquals(TinyModel.SHAPE, written.shape());
            assertArrayEquals(g.itkOrigin(), written.geometry().itkOrigin(), 1e-5);
            assertArrayEquals(g.itkDirection(), written.geometry().itkDirection(), 1e-5);
            assertArrayEquals(g.itkSpacing(), written.geometry().itkSpacing(), 1e-5);
            for (float v : written.data()) {
                assertTrue(v == 0 || v == 1, "labels of the task, got " + v);
            }
            try (var scratch = Files.list(tmp.resolve("serving/models/" + TinyModel.TASK))) {
                Path model = scratch.findFirst().orElseThrow();
                Path lowresFolds = configuration.startsWith("ensemble_")
                        ? model.resolve("members/3d_cascade_fullres/lowres") : model.resolve("lowres");
                assertTrue(Files.isRegularFile(lowresFolds.resolve("fold_0/model_final_checkpoint.model")));
                try (var left = Files.list(model.resolve("scratch"))) {
                    assertEquals(0, left.count(), "the lowres segmentation of the request is deleted");
                }
            }
        } finally {
            registry.onStop(null);
        }
    }
}
