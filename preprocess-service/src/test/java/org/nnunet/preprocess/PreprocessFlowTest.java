package org.nnunet.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.PlansCreated;
import org.nnunet.events.PreprocessingCompleted;
import org.nnunet.events.Topics;
import org.nnunet.events.TrainingRequested;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.TrainingPlan;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PlansCreated -> preprocessed stage folder -> PreprocessingCompleted + TrainingRequested per fold (real servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PreprocessFlowTest {

    private final EventCodec codec = new EventCodec();

    @Inject
    ObjectStore store;

    @Test
    void plansCreatedPreprocessesAndRequestsEveryFoldOnceEvenWhenRedelivered() throws Exception {
        String task = TestTasks.unique("Pre");
        VersionLayout version = TinyVersion.planned(store, task, 5);
        PlansCreated plans = new PlansCreated(task, "v1", "corr-" + task,
                List.of(version.preprocessed() + PlansIO.PLANS_3D), List.of("3d_fullres"));
        String json = new String(codec.serialize(plans), StandardCharsets.UTF_8);
        KafkaTopics.send(Topics.PLANS_CREATED, task, json);

        List<ConsumerRecord<String, String>> completed = KafkaTopics.await(Topics.PREPROCESSING_COMPLETED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, completed.size());
        PreprocessingCompleted done = codec.deserialize(completed.get(0).value().getBytes(StandardCharsets.UTF_8),
                PreprocessingCompleted.class);
        assertEquals("3d_fullres", done.configuration());
        assertEquals(5, done.cases());
        assertEquals(version.preprocessed() + "nnUNetData_plans_v2.1_stage0/", done.preprocessedPrefix());
        assertEquals(5, store.list(done.preprocessedPrefix()).stream().filter(o -> o.key().endsWith(".npy")).count());
        assertTrue(store.exists(version.preprocessed() + "splits_final.json"), "splits fixed once per version");
        assertEquals(5, store.list(version.preprocessed() + "gt_segmentations/").size());

        List<ConsumerRecord<String, String>> requests = KafkaTopics.await(Topics.TRAINING_REQUESTED,
                r -> r.key().startsWith(task + "/"), 2, Duration.ofSeconds(20));
        assertEquals(2, requests.size(), "folds 0 and 1 (test profile)");
        for (int f = 0; f < 2; f++) {
            TrainingRequested request = codec.deserialize(requests.get(f).value().getBytes(StandardCharsets.UTF_8),
                    TrainingRequested.class);
            assertEquals(f, request.fold());
            assertEquals("3d_fullres", request.configuration());
            assertEquals(task + "/v1/3d_fullres/fold_" + f, requests.get(f).key(), "keyed by fold");
        }
        TrainingPlan plan = new ObjectMapper().readValue(store.getBytes(version.trainingPlan()), TrainingPlan.class);
        assertEquals(List.of(0, 1), plan.folds());

        KafkaTopics.send(Topics.PLANS_CREATED, task, json);
        KafkaTopics.send(Topics.PLANS_CREATED, task, json);
        Thread.sleep(4000);
        assertEquals(2, KafkaTopics.await(Topics.TRAINING_REQUESTED, r -> r.key().startsWith(task + "/"), 3,
                Duration.ofSeconds(3)).size(), "PlansCreated redelivered twice: no fold requested again");
        assertEquals(1, KafkaTopics.await(Topics.PREPROCESSING_COMPLETED, r -> task.equals(r.key()), 2,
                Duration.ofSeconds(3)).size(), "PlansCreated redelivered twice: one PreprocessingCompleted");
    }

    @Test
    void cascadeFoldsAreRequestedOnceWhenEveryLowresFoldIsTrained() throws Exception {
        String task = TestTasks.unique("PreCascade");
        VersionLayout version = new VersionLayout(task, "v1");
        store.putBytes(version.trainingPlan(), new ObjectMapper().writeValueAsBytes(new TrainingPlan(task, "v1",
                List.of("3d_fullres", "3d_lowres", "3d_cascade_fullres"), List.of(0, 1))));
        String cascadeKeys = task + "/v1/3d_cascade_fullres/";
        sendTrained(task, "3d_fullres", 0);
        sendTrained(task, "3d_fullres", 1);
        sendTrained(task, "3d_lowres", 0);
        Thread.sleep(4000);
        assertEquals(0, KafkaTopics.await(Topics.TRAINING_REQUESTED, r -> r.key().startsWith(cascadeKeys), 1,
                Duration.ofSeconds(2)).size(), "one 3d_lowres fold of two is not enough");

        sendTrained(task, "3d_lowres", 1);
        List<ConsumerRecord<String, String>> requests = KafkaTopics.await(Topics.TRAINING_REQUESTED,
                r -> r.key().startsWith(cascadeKeys), 2, Duration.ofSeconds(30));
        assertEquals(2, requests.size());
        for (int f = 0; f < 2; f++) {
            TrainingRequested request = codec.deserialize(requests.get(f).value().getBytes(StandardCharsets.UTF_8),
                    TrainingRequested.class);
            assertEquals("3d_cascade_fullres", request.configuration());
            assertEquals(f, request.fold());
        }

        sendTrained(task, "3d_lowres", 1);
        Thread.sleep(4000);
        assertEquals(2, KafkaTopics.await(Topics.TRAINING_REQUESTED, r -> r.key().startsWith(cascadeKeys), 3,
                Duration.ofSeconds(2)).size(), "a redelivered FoldTrained requests nothing more");
    }

    private void sendTrained(String task, String configuration, int fold) throws Exception {
        FoldTrained trained = new FoldTrained(task, "v1", "corr-" + task, configuration, fold,
                Map.of("mean_dice", 0.5), "versions/" + task + "/v1/results/" + configuration + "/fold_" + fold + "/m");
        KafkaTopics.send(Topics.FOLD_TRAINED, task + "/v1/" + configuration + "/fold_" + fold,
                new String(codec.serialize(trained), StandardCharsets.UTF_8));
    }

    @Test
    void plansCreatedWithUnknownSchemaVersionGoesToTheDeadLetterTopic() throws Exception {
        String task = TestTasks.unique("PrePoison");
        KafkaTopics.send(Topics.PLANS_CREATED, task, """
                {"schemaVersion":2,"task":"%s","datasetVersion":"v1","correlationId":"c","plansKeys":["k"],\
                "configurations":["2d"]}""".formatted(task));
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(task), 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        DeadLetter letter = codec.deserialize(dead.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(Topics.PLANS_CREATED, letter.sourceTopic());
        assertTrue(letter.error().contains("schemaVersion 2"), letter.error());
    }
}
