package org.nnunet.trainer;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.Topics;
import org.nnunet.events.TrainingRequested;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;
import org.nnunet.util.LabelNpz;
import org.nnunet.util.NpyArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cascade through Kafka and the S3 server, on a tiny version with two-stage plans: a 3d_cascade_fullres request
 * before any 3d_lowres fold goes to the dead-letter topic with the reason; a 3d_lowres fold (1 epoch x 1 iteration)
 * uploads {@code pred_next_stage}; a 3d_cascade_fullres fold then trains with nnUNetTrainerV2CascadeFullRes into its
 * own trainer folder and publishes FoldTrained.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class TrainerCascadeFlowTest {

    /** The test profile's request topic (see TrainerFlowTest). */
    private static final String REQUESTS = Topics.TRAINING_REQUESTED + ".trainer-test";
    private final EventCodec codec = new EventCodec();

    @Inject
    ObjectStore store;

    private void request(String task, String configuration, int fold) throws Exception {
        TrainingRequested request = new TrainingRequested(task, "v1", "corr-" + task, configuration, fold);
        KafkaTopics.send(REQUESTS, EventPublisher.foldKey(task, "v1", configuration, fold),
                new String(codec.serialize(request), StandardCharsets.UTF_8));
    }

    private FoldTrained awaitTrained(String task, String configuration) throws Exception {
        List<ConsumerRecord<String, String>> trained = KafkaTopics.await(Topics.FOLD_TRAINED,
                r -> task.equals(r.key()) && r.value().contains("\"" + configuration + "\""), 1,
                Duration.ofSeconds(150));
        assertEquals(1, trained.size(), configuration + " trained");
        return codec.deserialize(trained.get(0).value().getBytes(StandardCharsets.UTF_8), FoldTrained.class);
    }

    @Test
    @DisplayName("3d_cascade_fullres without lowres predictions -> dead letter; 3d_lowres fold -> pred_next_stage in "
            + "the store; 3d_cascade_fullres -> nnUNetTrainerV2CascadeFullRes fold, FoldTrained")
    void lowresThenCascadeThroughKafka() throws Exception {
        String task = TestTasks.unique("Cascade");
        VersionLayout version = TinyVersion.preprocessedTwoStages(store, task, 5);

        request(task, "3d_cascade_fullres", 0);
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(task), 1, Duration.ofSeconds(60));
        assertEquals(1, dead.size());
        DeadLetter letter = codec.deserialize(dead.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(Topics.TRAINING_REQUESTED, letter.sourceTopic());
        assertTrue(letter.error().contains(version.nextStagePredictions()), letter.error());
        assertFalse(store.exists(version.fold("3d_cascade_fullres", 0) + "DONE"));

        request(task, "3d_lowres", 0);
        FoldTrained lowres = awaitTrained(task, "3d_lowres");
        assertEquals(version.fold("3d_lowres", 0) + "model_final_checkpoint.model", lowres.checkpointKey());
        List<String> predicted = store.list(version.nextStagePredictions()).stream().map(ObjectInfo::key).toList();
        assertEquals(1, predicted.size(), "fold 0 of 5 holds out one case: " + predicted);
        String heldOut = predicted.get(0).substring(version.nextStagePredictions().length(),
                predicted.get(0).length() - PreviousStageSegmentations.SUFFIX.length());

        // the four other lowres folds are not trained here: their held-out cases get the reference instead
        Path local = Files.createTempDirectory("cascade-flow");
        try {
            StoreFolders.download(store, version.preprocessed(), local);
            Plans plans = PlansIO.read(local.resolve(PlansIO.PLANS_3D));
            PreprocessedDataFolder stage1 = PreprocessedDataFolder.stage(local, plans.dataIdentifier(), 1);
            for (int i = 0; i < 5; i++) {
                String id = String.format("tiny_%03d", i);
                if (id.equals(heldOut)) {
                    continue;
                }
                NpyArray d = stage1.readData(id);
                float[] ref = d.slice(d.shape()[0] - 1);
                int[] labels = new int[ref.length];
                for (int v = 0; v < ref.length; v++) {
                    labels[v] = Math.max(0, (int) ref[v]);
                }
                Path f = PreviousStageSegmentations.file(local, id);
                LabelNpz.write(f, new int[] {d.shape()[1], d.shape()[2], d.shape()[3]}, labels);
                store.put(version.nextStagePredictions() + f.getFileName(), f);
            }
        } finally {
            StoreFolders.deleteQuietly(local);
        }

        request(task, "3d_cascade_fullres", 0);
        FoldTrained cascade = awaitTrained(task, "3d_cascade_fullres");
        String fold = "versions/" + task + "/v1/results/3d_cascade_fullres/"
                + "nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1/fold_0/";
        assertEquals(fold + "model_final_checkpoint.model", cascade.checkpointKey());
        assertTrue(store.exists(cascade.checkpointKey()));
        assertTrue(store.exists(fold + "validation_raw/" + heldOut + ".nii.gz"));
        assertTrue(store.exists(fold + "DONE"));
        double dice = cascade.metrics().get("mean_dice");
        assertTrue(dice >= 0 && dice <= 1, "mean_dice " + dice);
    }
}
