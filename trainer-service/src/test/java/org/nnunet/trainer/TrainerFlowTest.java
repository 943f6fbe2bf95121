package org.nnunet.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.Topics;
import org.nnunet.events.TrainingRequested;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.PoisonEvents;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TrainingRequested -> NnUNetTrainerV2 (1 epoch x 1 iteration) -> FoldTrained, against the real broker and S3 server.
 * The test profile sets max.poll.interval.ms to 2 s, shorter than one training.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class TrainerFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The test profile's request topic (the broker is shared with the other services' tests). */
    private static final String REQUESTS = Topics.TRAINING_REQUESTED + ".trainer-test";
    private static String task;
    private final EventCodec codec = new EventCodec();

    @Inject
    ObjectStore store;
    @Inject
    MeterRegistry meters;

    private double skipped() {
        var c = meters.find("nnunet.events.consumed").tags("topic", Topics.TRAINING_REQUESTED, "outcome", "skipped")
                .counter();
        return c == null ? 0 : c.count();
    }

    private void request(int fold) throws Exception {
        TrainingRequested request = new TrainingRequested(task, "v1", "corr-" + task, "3d_fullres", fold);
        KafkaTopics.send(REQUESTS, EventPublisher.foldKey(task, "v1", "3d_fullres", fold),
                new String(codec.serialize(request), StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void trainingLongerThanMaxPollIntervalTrainsOnceAndRedeliveryIsANoOp() throws Exception {
        task = TestTasks.unique("Train");
        VersionLayout version = TinyVersion.preprocessed(store, task, 5);
        double skippedBefore = skipped();
        request(0);

        List<ConsumerRecord<String, String>> trained = KafkaTopics.await(Topics.FOLD_TRAINED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(150));
        assertEquals(1, trained.size());
        FoldTrained event = codec.deserialize(trained.get(0).value().getBytes(StandardCharsets.UTF_8),
                FoldTrained.class);
        assertEquals(0, event.fold());
        String fold0 = version.fold("3d_fullres", 0);
        assertEquals(fold0 + "model_final_checkpoint.model", event.checkpointKey());
        assertTrue(store.exists(event.checkpointKey()));
        assertTrue(store.exists(fold0 + "model_latest.model"), "model_latest uploaded");
        assertTrue(store.exists(fold0 + "validation_raw/summary.json"));
        double dice = event.metrics().get("mean_dice");
        assertTrue(dice >= 0 && dice <= 1, "mean_dice " + dice);
        assertEquals(dice, event.metrics().get("dice_class_1"), 1e-12, "one foreground class");
        assertTrue(store.exists(fold0 + "DONE"));
        assertFalse(store.exists(fold0 + "LEASE"), "lease released");

        Timer timer = meters.find("nnunet.trainer.fold.duration").timer();
        assertTrue(timer.totalTime(TimeUnit.MILLISECONDS) > 2000,
                "training must outlast max.poll.interval.ms=2000 for this test to mean anything: "
                        + timer.totalTime(TimeUnit.MILLISECONDS) + " ms");
        // no rebalance: the record was not redelivered, and its offset is committed
        assertEquals(skippedBefore, skipped(), "no redelivery while training");
        assertTrue(committedToEnd(), "offset committed after the training");

        request(0);
        request(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (skipped() < skippedBefore + 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(skippedBefore + 2, skipped(), "a request redelivered twice is skipped twice (DONE exists)");
        assertEquals(1, KafkaTopics.await(Topics.FOLD_TRAINED, r -> task.equals(r.key()), 2,
                Duration.ofSeconds(3)).size());
    }

    @Test
    @Order(2)
    void foldLeasedByALiveReplicaWaitsThenResumesFromTheStoredModelLatest() throws Exception {
        VersionLayout version = new VersionLayout(task, "v1");
        String fold0 = version.fold("3d_fullres", 0);
        String fold1 = version.fold("3d_fullres", 1);
        // a "crashed" replica: its last checkpoint (epoch 1 of 1) and a lease that is live for 3 more seconds
        for (String ext : List.of(".model", ".model.json", ".model.optimizer")) {
            store.copy(fold0 + "model_final_checkpoint" + ext, fold1 + "model_latest" + ext);
        }
        Instant leaseEnd = Instant.now().plusSeconds(3);
        store.putBytes(fold1 + "LEASE", JSON.writeValueAsBytes(Map.of("owner", "crashed-replica",
                "expiresAt", leaseEnd.toString())));
        request(1);

        List<ConsumerRecord<String, String>> trained = KafkaTopics.await(Topics.FOLD_TRAINED,
                r -> task.equals(r.key()) && r.value().contains("\"fold\":1"), 1, Duration.ofSeconds(120));
        assertEquals(1, trained.size());
        assertTrue(Instant.ofEpochMilli(trained.get(0).timestamp()).isAfter(leaseEnd), "waited for the lease");
        JsonNode done = JSON.readTree(store.getBytes(fold1 + "DONE"));
        assertEquals(1, done.get("resumedFromEpoch").asInt(), "resumed from the stored model_latest");
        assertTrue(store.exists(fold1 + "model_final_checkpoint.model"));
    }

    @Test
    @Order(3)
    void invalidJsonAndUnknownSchemaVersionGoToTheDeadLetterTopic() throws Exception {
        PoisonEvents.assertDeadLettered(REQUESTS, Topics.TRAINING_REQUESTED,
                new TrainingRequested(TestTasks.unique("TrainPoison"), "v1", "c", "3d_fullres", 0));
    }

    @Test
    @Order(4)
    void prometheusShowsFoldProgressEventOutcomesAndKafkaConsumerLag() {
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("nnunet_trainer_fold_epoch "), "fold progress gauge");
        assertTrue(metrics.contains("nnunet_trainer_fold_epochs "), "fold budget gauge");
        assertTrue(metrics.contains("nnunet_events_consumed_total{outcome=\"processed\""), "event outcomes");
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag"), "queue lag from the Kafka client");
    }

    private static boolean committedToEnd() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("trainer-service")
                        .partitionsToOffsetAndMetadata().get();
                boolean all = true;
                for (var e : committed.entrySet()) {
                    if (!e.getKey().topic().equals(REQUESTS)) {
                        continue;
                    }
                    long end = admin.listOffsets(Map.of(e.getKey(), OffsetSpec.latest())).partitionResult(e.getKey())
                            .get().offset();
                    all &= e.getValue().offset() == end;
                }
                if (all && !committed.isEmpty()) {
                    return true;
                }
                Thread.sleep(500);
            }
            return false;
        }
    }
}
