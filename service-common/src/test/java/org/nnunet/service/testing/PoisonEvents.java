package org.nnunet.service.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.PipelineEvent;
import org.nnunet.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poison-event check every consumer gets: one message that is not JSON and one valid event of the consumer's type
 * but with an unknown {@code schemaVersion} (99) are sent back to back; both must reach {@link Topics#DEAD_LETTER}
 * in that order, each with its reason, the second one proving the consumer kept going after the first.
 */
public final class PoisonEvents {

    private PoisonEvents() {
    }

    /**
     * @param topic       where the consumer under test reads (its test profile may rename the production topic)
     * @param sourceTopic the topic name the consumer reports in the dead letter
     * @param sample      a valid event whose task is unique to the test; it is sent with schemaVersion 99
     */
    public static void assertDeadLettered(String topic, String sourceTopic, PipelineEvent sample) throws Exception {
        EventCodec codec = new EventCodec();
        String marker = sample.task();
        String valid = new String(codec.serialize(sample), StandardCharsets.UTF_8);
        String newer = valid.replace("\"schemaVersion\":" + PipelineEvent.SCHEMA_VERSION, "\"schemaVersion\":99");
        assertTrue(newer.contains("\"schemaVersion\":99"), newer);
        KafkaTopics.send(topic, marker, "{not json " + marker);
        KafkaTopics.send(topic, marker, newer);
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(marker), 2, Duration.ofSeconds(60));
        assertEquals(2, dead.size(), "both poison messages dead-lettered");
        DeadLetter invalid = codec.deserialize(dead.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(sourceTopic, invalid.sourceTopic());
        assertEquals(DeadLetter.UNKNOWN, invalid.task(), "nothing to read from a message that is not JSON");
        assertTrue(invalid.error().contains("invalid JSON"), invalid.error());
        DeadLetter unknownVersion = codec.deserialize(dead.get(1).value().getBytes(StandardCharsets.UTF_8),
                DeadLetter.class);
        assertEquals(sourceTopic, unknownVersion.sourceTopic());
        assertEquals(marker, unknownVersion.task(), "header fields copied from the refused event");
        assertTrue(unknownVersion.error().contains("schemaVersion 99"), unknownVersion.error());
    }
}
