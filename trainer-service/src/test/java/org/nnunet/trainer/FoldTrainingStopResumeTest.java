package org.nnunet.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.ObjectStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica stopped after epoch 1 of 2 leaves model_latest in the store and asks for redelivery; the next run of the
 * same fold resumes at epoch 1 (nnU-Net v1 {@code -c}: load_latest_checkpoint) instead of starting over.
 * Plain JUnit on a filesystem store: no broker needed.
 */
class FoldTrainingStopResumeTest {

    /** The test budget: 2 epochs x 1 iteration, model_latest after every epoch. */
    @Test
    void stoppedTrainingUploadsModelLatestAndTheNextRunResumesFromIt(@TempDir Path dir) throws Exception {
        ObjectStore store = new FileSystemObjectStore(dir);
        VersionLayout version = TinyVersion.preprocessed(store, "Task990_Stop", 5);
        FoldTraining training = new FoldTraining(store, TestBudget.tiny());
        String fold = version.fold("3d_fullres", 0);

        List<Integer> epochs = new ArrayList<>();
        InboundEvents.Redeliver stopped = assertThrows(InboundEvents.Redeliver.class,
                () -> training.run(version, "3d_fullres", 0, epochs::add, () -> true));
        assertTrue(stopped.getMessage().contains("stopped after epoch 1"), stopped.getMessage());
        assertEquals(List.of(1), epochs);
        assertTrue(store.exists(fold + "model_latest.model"));
        assertEquals(1, new ObjectMapper().readTree(store.getBytes(fold + "model_latest.model.json"))
                .get("progress").get("epoch").asInt(), "model_latest is the state after epoch 1");
        assertFalse(store.exists(fold + "model_final_checkpoint.model"));

        FoldTraining.Result result = training.run(version, "3d_fullres", 0, e -> { }, () -> false);
        assertEquals(1, result.resumedFromEpoch());
        assertTrue(store.exists(result.checkpointKey()));
        double dice = result.metrics().get("mean_dice");
        assertTrue(dice >= 0 && dice <= 1, "validation Dice " + dice);
    }
}
