package org.nnunet.trainer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.NpyArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v1.7.1 cascade through the trainer service's fold flow ({@code nnUNet_train 3d_lowres} then
 * {@code nnUNet_train 3d_cascade_fullres nnUNetTrainerV2CascadeFullRes}) on a tiny version with two-stage plans:
 * a 3d_lowres fold uploads its held-out cases' {@code pred_next_stage} predictions under the version, and a
 * 3d_cascade_fullres fold trains on them into the cascade trainer's folder, refusing (with the key or case named)
 * while they are missing. Plain JUnit on a filesystem store: the Kafka side is TrainerService's, unchanged.
 */
class FoldTrainingCascadeTest {

    private static final String TASK = "Task992_Cascade";

    @Test
    @DisplayName("3d_lowres fold uploads pred_next_stage; 3d_cascade_fullres (nnUNetTrainerV2CascadeFullRes) refuses "
            + "without it and trains on it")
    void lowresThenCascade(@TempDir Path dir) throws Exception {
        ObjectStore store = new FileSystemObjectStore(dir.resolve("store"));
        VersionLayout version = TinyVersion.preprocessedTwoStages(store, TASK, 5);
        // 1 epoch x 1 iteration: the flow, not the model, is under test
        FoldTraining training = new FoldTraining(store,
                new TestBudget(1, 1, Duration.ofMinutes(1), Duration.ofSeconds(1), "test"));
        String predictions = version.nextStagePredictions();
        assertEquals("versions/" + TASK + "/v1/results/3d_lowres/nnUNetTrainerV2__nnUNetPlansv2.1/pred_next_stage/",
                predictions);

        IOException none = assertThrows(IOException.class,
                () -> training.run(version, "3d_cascade_fullres", 0, e -> { }, () -> false));
        assertTrue(none.getMessage().contains(predictions), none.getMessage());

        FoldTraining.Result lowres = training.run(version, "3d_lowres", 0, e -> { }, () -> false);
        assertEquals(version.fold("3d_lowres", 0) + "model_final_checkpoint.model", lowres.checkpointKey());
        List<String> keys = store.list(predictions).stream().map(ObjectInfo::key).toList();
        assertEquals(1, keys.size(), "5 cases in 5 folds: fold 0 holds out one case " + keys);
        Path local = dir.resolve("check");
        StoreFolders.download(store, version.preprocessed(), local);
        Plans plans = PlansIO.read(local.resolve(PlansIO.PLANS_3D));
        PreprocessedDataFolder stage1 = PreprocessedDataFolder.stage(local, plans.dataIdentifier(), 1);
        String heldOut = keys.get(0).substring(predictions.length(),
                keys.get(0).length() - PreviousStageSegmentations.SUFFIX.length());
        Path file = local.resolve("fold0.npz");
        Files.write(file, store.getBytes(keys.get(0)));
        NpyArray seg = LabelNpz.read(file);
        int[] s = stage1.readData(heldOut).shape();
        assertArrayEquals(new int[] {s[1], s[2], s[3]}, seg.shape(), "at the full-resolution stage's shape");

        IOException missing = assertThrows(IOException.class,
                () -> training.run(version, "3d_cascade_fullres", 0, e -> { }, () -> false));
        assertTrue(missing.getMessage().contains(PreviousStageSegmentations.SUFFIX), missing.getMessage());

        // the four other lowres folds are not trained here: their held-out cases get the reference instead
        for (int i = 0; i < 5; i++) {
            String id = String.format("tiny_%03d", i);
            if (!id.equals(heldOut)) {
                NpyArray d = stage1.readData(id);
                float[] ref = d.slice(d.shape()[0] - 1);
                int[] labels = new int[ref.length];
                for (int v = 0; v < ref.length; v++) {
                    labels[v] = Math.max(0, (int) ref[v]);
                }
                Path f = PreviousStageSegmentations.file(local.resolve("filled"), id);
                Files.createDirectories(f.getParent());
                LabelNpz.write(f, new int[] {d.shape()[1], d.shape()[2], d.shape()[3]}, labels);
                store.put(predictions + f.getFileName(), f);
            }
        }
        FoldTraining.Result cascade = training.run(version, "3d_cascade_fullres", 0, e -> { }, () -> false);
        String cascadeFold = "versions/" + TASK
                + "/v1/results/3d_cascade_fullres/nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1/fold_0/";
        assertEquals(cascadeFold, version.fold("3d_cascade_fullres", 0));
        assertEquals(cascadeFold + "model_final_checkpoint.model", cascade.checkpointKey());
        assertTrue(store.exists(cascade.checkpointKey()));
        assertTrue(store.exists(cascadeFold + "validation_raw/" + heldOut + ".nii.gz"), "validated its held-out case");
        double dice = cascade.metrics().get("mean_dice");
        assertTrue(dice >= 0 && dice <= 1, "validation Dice " + dice);
        assertEquals(5, store.list(predictions).size(), "the cascade does not touch the lowres predictions");
    }
}
