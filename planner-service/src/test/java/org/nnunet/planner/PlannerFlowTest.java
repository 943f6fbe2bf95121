package org.nnunet.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.DatasetVersionCreated;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.PlansCreated;
import org.nnunet.events.Topics;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyTask;
import org.nnunet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MinIO notifications -> debounced dataset version -> plans, against the real broker and S3 server of .ci/run.
 * S3Proxy cannot emit notifications, so the test publishes MinIO's documented event JSON itself.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PlannerFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCodec codec = new EventCodec();

    @Inject
    ObjectStore store;

    /** MinIO's notification for one PUT (docs "Publish Events to Kafka": EventName, Key, Records[].s3). */
    static String minioPut(String bucket, String key, long size) {
        String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
        return """
                {"EventName":"s3:ObjectCreated:Put","Key":"%s/%s","Records":[{"eventVersion":"2.0",\
                "eventSource":"minio:s3","awsRegion":"","eventTime":"2026-11-27T12:00:00.000Z",\
                "eventName":"s3:ObjectCreated:Put","userIdentity":{"principalId":"nnunet"},\
                "s3":{"s3SchemaVersion":"1.0","configurationId":"Config","bucket":{"name":"%s",\
                "arn":"arn:aws:s3:::%s"},"object":{"key":"%s","size":%d,"eTag":"0","sequencer":"1"}}}]}"""
                .formatted(bucket, key, bucket, bucket, encoded, size);
    }

    @Test
    void burstOfUploadsIsOneVersionThenPlansAndRedeliveryIsANoOp() throws Exception {
        String task = TestTasks.unique("Plan");
        List<String> keys = TinyTask.upload(store, "raw/" + task + "/", 5, 1);
        for (String key : keys) {
            KafkaTopics.send(PlannerService.MINIO_EVENTS, key, minioPut("nnunet", key, store.stat(key).get().size()));
        }

        List<ConsumerRecord<String, String>> versions = KafkaTopics.await(Topics.DATASET_VERSION_CREATED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(40));
        assertEquals(1, versions.size(), "one version for a burst of " + keys.size() + " uploads");
        DatasetVersionCreated created = codec.deserialize(versions.get(0).value().getBytes(StandardCharsets.UTF_8),
                DatasetVersionCreated.class);
        assertEquals("v1", created.datasetVersion());
        assertEquals(5, created.trainingCases());
        VersionLayout v1 = new VersionLayout(task, "v1");
        assertEquals(v1.raw(), created.rawDataPrefix());
        assertEquals(keys.size(), store.list(v1.raw()).size(), "every raw object snapshotted");
        JsonNode manifest = JSON.readTree(store.getBytes(v1.manifest()));
        assertEquals(keys.size(), manifest.get("objects").size());

        List<ConsumerRecord<String, String>> plans = KafkaTopics.await(Topics.PLANS_CREATED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, plans.size());
        PlansCreated plansCreated = codec.deserialize(plans.get(0).value().getBytes(StandardCharsets.UTF_8),
                PlansCreated.class);
        assertEquals(created.correlationId(), plansCreated.correlationId());
        assertEquals(List.of("3d_fullres"), plansCreated.configurations(), "20x24x28 needs no low-res stage");
        assertEquals(List.of(v1.preprocessed() + PlansIO.PLANS_3D), plansCreated.plansKeys());
        Path local = Files.createTempFile("plans", ".json");
        Files.write(local, store.getBytes(plansCreated.plansKeys().get(0)));
        Plans p = PlansIO.read(local);
        Files.delete(local);
        assertEquals(1, p.numStages());
        assertArrayEquals(new double[] {1, 1, 1}, p.stage(0).currentSpacing(), 1e-9, "target spacing: median 1 mm");
        assertEquals(5, store.list(v1.cropped()).stream().filter(o -> o.key().endsWith(".npy")).count(),
                "cropped cases stored");

        // redelivery: the same notifications (raw objects unchanged) and the same DatasetVersionCreated
        for (String key : keys.subList(0, 2)) {
            KafkaTopics.send(PlannerService.MINIO_EVENTS, key, minioPut("nnunet", key, 1));
        }
        KafkaTopics.send(Topics.DATASET_VERSION_CREATED, task, versions.get(0).value());
        KafkaTopics.send(Topics.DATASET_VERSION_CREATED, task, versions.get(0).value());
        Thread.sleep(5000);
        assertEquals(1, KafkaTopics.await(Topics.PLANS_CREATED, r -> task.equals(r.key()), 2,
                Duration.ofSeconds(3)).size(), "DatasetVersionCreated redelivered twice: no second plans");
        List<ConsumerRecord<String, String>> all = KafkaTopics.await(Topics.DATASET_VERSION_CREATED,
                r -> task.equals(r.key()), 4, Duration.ofSeconds(3));
        assertEquals(3, all.size(), "the original and the two the test redelivered; no new version");
        assertEquals(all.get(0).value(), all.get(2).value());

        // new labelled cases make version 2
        List<String> more = TinyTask.upload(store, "raw/" + task + "/", 6, 2);
        KafkaTopics.send(PlannerService.MINIO_EVENTS, more.get(0), minioPut("nnunet", more.get(0), 1));
        List<ConsumerRecord<String, String>> after = KafkaTopics.await(Topics.DATASET_VERSION_CREATED,
                r -> task.equals(r.key()), 4, Duration.ofSeconds(20));
        assertEquals(4, after.size());
        assertTrue(after.get(3).value().contains("\"datasetVersion\":\"v2\""), after.get(3).value());
        assertTrue(after.get(3).value().contains("\"trainingCases\":6"), after.get(3).value());
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String marker = TestTasks.unique("Poison");
        KafkaTopics.send(Topics.DATASET_VERSION_CREATED, "x", "{not json " + marker);
        KafkaTopics.send(Topics.DATASET_VERSION_CREATED, "x", """
                {"schemaVersion":99,"task":"%s","datasetVersion":"v1","correlationId":"c","rawDataPrefix":"p/",\
                "trainingCases":1}""".formatted(marker));
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(marker), 2, Duration.ofSeconds(30));
        assertEquals(2, dead.size());
        DeadLetter invalid = codec.deserialize(dead.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(Topics.DATASET_VERSION_CREATED, invalid.sourceTopic());
        assertEquals(DeadLetter.UNKNOWN, invalid.task());
        assertTrue(invalid.error().contains("invalid JSON"), invalid.error());
        DeadLetter newer = codec.deserialize(dead.get(1).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(marker, newer.task());
        assertTrue(newer.error().contains("schemaVersion 99"), newer.error());
    }
}
