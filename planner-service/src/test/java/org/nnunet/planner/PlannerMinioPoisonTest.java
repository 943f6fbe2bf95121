package org.nnunet.planner;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.Topics;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, poison events on the planner's other consumer: a MinIO notification that is not JSON is dead-lettered
 * with the reason, and so is the next malformed one (the consumer went on); PlannerFlowTest covers
 * DatasetVersionCreated's poison events.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PlannerMinioPoisonTest {

    @Test
    @DisplayName("MinIO notification: invalid JSON and a JSON without Records go to the dead-letter topic")
    void poisonNotificationIsDeadLettered() throws Exception {
        String marker = TestTasks.unique("MinioPoison");
        KafkaTopics.send(PlannerService.MINIO_EVENTS, marker, "{not json " + marker);
        KafkaTopics.send(PlannerService.MINIO_EVENTS, marker, "[\"" + marker + "\"]");
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(marker), 2, Duration.ofSeconds(60));
        assertEquals(2, dead.size(), "both dead-lettered: the consumer went on after the first");
        List<String> reasons = List.of("not valid JSON", "no Records array");
        for (int i = 0; i < 2; i++) {
            DeadLetter letter = new EventCodec().deserialize(dead.get(i).value().getBytes(StandardCharsets.UTF_8),
                    DeadLetter.class);
            assertEquals(PlannerService.MINIO_EVENTS, letter.sourceTopic());
            assertTrue(letter.error().contains(reasons.get(i)), letter.error());
        }
    }
}
