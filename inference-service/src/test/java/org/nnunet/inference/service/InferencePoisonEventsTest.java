package org.nnunet.inference.service;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.ModelPublished;
import org.nnunet.events.Topics;
import org.nnunet.service.testing.PoisonEvents;
import org.nnunet.service.testing.TestTasks;

/**
 * Issue 9, poison events: ModelPublished that is not JSON, or of schemaVersion 99, is dead-lettered (real servers).
 * Redelivery of ModelPublished is covered by its nature: the event only triggers a re-read of {@code PROMOTED}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class InferencePoisonEventsTest {

    @Test
    @DisplayName("ModelPublished: invalid JSON and unknown schema version go to the dead-letter topic, consumer "
            + "goes on")
    void poisonModelPublishedIsDeadLettered() throws Exception {
        String task = TestTasks.unique("InfPoison");
        PoisonEvents.assertDeadLettered(Topics.MODEL_PUBLISHED, Topics.MODEL_PUBLISHED,
                new ModelPublished(task, "v1", "c", "v1", "models/" + task + "/v1/"));
    }
}
