package org.nnunet.trainer;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.ObjectStore;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A replica killed while publishing {@code model_latest} (between the puts of its three objects) leaves a set mixed
 * from two saves; found by {@code TrainerKilledMidFoldIT}, which dead-lettered the fold on a checksum mismatch.
 * {@link FoldTraining} publishes each save as {@code model_latest_staged.*} first, and resuming falls back to that set
 * (repairing {@code model_latest}), or starts over when neither set is intact. Plain JUnit, filesystem store.
 */
class FoldCheckpointPublishTest {

    @Test
    @DisplayName("model_latest mixed from two saves: resume from the staged set; neither intact: start over")
    void interruptedPublishIsRecovered(@TempDir Path dir) throws Exception {
        ObjectStore store = new FileSystemObjectStore(dir);
        VersionLayout version = TinyVersion.preprocessed(store, "Task991_Publish", 5);
        FoldTraining training = new FoldTraining(store, TestBudget.tiny());
        String fold = version.fold("3d_fullres", 0);
        assertThrows(InboundEvents.Redeliver.class,
                () -> training.run(version, "3d_fullres", 0, e -> { }, () -> true));
        byte[] staged = store.getBytes(fold + "model_latest_staged.model");
        assertArrayEquals(staged, store.getBytes(fold + "model_latest.model"), "staged set copied over model_latest");

        // killed after the first copy of a later publish: the weights no longer match model_latest.model.json
        byte[] other = Arrays.copyOf(staged, staged.length);
        other[other.length - 1] ^= 1;
        store.putBytes(fold + "model_latest.model", other);
        FoldTraining.Result resumed = training.run(version, "3d_fullres", 0, e -> { }, () -> false);
        assertEquals(1, resumed.resumedFromEpoch(), "resumed from the intact staged checkpoint of epoch 1");

        // neither set intact: the fold starts over rather than failing
        store.putBytes(fold + "model_latest.model", other);
        store.putBytes(fold + "model_latest_staged.model", other);
        FoldTraining.Result fresh = training.run(version, "3d_fullres", 0, e -> { }, () -> false);
        assertEquals(0, fresh.resumedFromEpoch(), "no intact checkpoint: trained from scratch");
    }
}
