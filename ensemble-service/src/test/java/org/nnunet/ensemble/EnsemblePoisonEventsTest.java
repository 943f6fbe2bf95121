package org.nnunet.ensemble;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.Topics;
import org.nnunet.service.testing.PoisonEvents;
import org.nnunet.service.testing.TestTasks;

import java.util.Map;

/** Issue 9, poison events: FoldTrained that is not JSON, or of schemaVersion 99, is dead-lettered (real servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class EnsemblePoisonEventsTest {

    @Test
    @DisplayName("FoldTrained: invalid JSON and unknown schema version go to the dead-letter topic, consumer goes on")
    void poisonFoldTrainedIsDeadLettered() throws Exception {
        String task = TestTasks.unique("EnsPoison");
        PoisonEvents.assertDeadLettered(Topics.FOLD_TRAINED, Topics.FOLD_TRAINED,
                new FoldTrained(task, "v1", "c", "3d_fullres", 0, Map.of("mean_dice", 0.5), "k"));
    }
}
