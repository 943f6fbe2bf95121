package org.nnunet.preprocess;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.PlansCreated;
import org.nnunet.events.Topics;
import org.nnunet.service.testing.PoisonEvents;
import org.nnunet.service.testing.TestTasks;

import java.util.List;

/** Issue 9, poison events: PlansCreated that is not JSON, or of schemaVersion 99, is dead-lettered (real servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PreprocessPoisonEventsTest {

    @Test
    @DisplayName("PlansCreated: invalid JSON and unknown schema version go to the dead-letter topic, consumer goes on")
    void poisonPlansCreatedIsDeadLettered() throws Exception {
        String task = TestTasks.unique("PrePoison");
        PoisonEvents.assertDeadLettered(Topics.PLANS_CREATED, Topics.PLANS_CREATED,
                new PlansCreated(task, "v1", "c", List.of("k"), List.of("3d_fullres")));
    }
}
