package org.nnunet.ensemble;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.ModelPublished;
import org.nnunet.events.Topics;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPackage;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.service.TrainingPlan;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyVersion;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FoldTrained x all folds -> model package, promotion, ModelPublished (real servers). Fold outputs are stand-ins:
 * checkpoint files of arbitrary bytes (the ensemble copies, never loads them) and validation predictions that are the
 * reference plus a spurious 8-voxel blob, so keeping the largest component must be chosen as postprocessing.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class EnsembleFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCodec codec = new EventCodec();

    @Inject
    ObjectStore store;

    /** Stores fold outputs for {@code version} and returns the FoldTrained events the trainer would send. */
    private List<FoldTrained> foldOutputs(VersionLayout version, double[] dice) throws Exception {
        store.putBytes(version.trainingPlan(), JSON.writeValueAsBytes(
                new TrainingPlan(version.task(), version.version(), List.of("3d_fullres"), List.of(0, 1))));
        List<ObjectInfo> gt = store.list(version.preprocessed() + "gt_segmentations/");
        Path tmp = Files.createTempDirectory("ens");
        List<FoldTrained> events = new java.util.ArrayList<>();
        for (int fold = 0; fold < 2; fold++) {
            String prefix = version.fold("3d_fullres", fold);
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                store.putBytes(prefix + name, (name + fold).getBytes(StandardCharsets.UTF_8));
            }
            for (int i = fold * 3; i < Math.min(gt.size(), fold * 3 + 3); i++) {
                String key = gt.get(i).key();
                Path file = tmp.resolve("gt.nii.gz");
                Files.write(file, store.getBytes(key));
                Volume v = NiftiIO.read(file);
                float[] data = v.data().clone();
                for (int z = 0; z < 2; z++) {
                    for (int y = 0; y < 2; y++) {
                        for (int x = 0; x < 2; x++) {
                            data[(z * v.shape()[1] + y) * v.shape()[2] + x] = 1;
                        }
                    }
                }
                Path pred = tmp.resolve("pred.nii.gz");
                NiftiIO.write(new Volume(v.shape(), data, v.geometry()), NiftiDataType.UINT8, pred);
                store.put(prefix + "validation_raw/" + key.substring(key.lastIndexOf('/') + 1), pred);
            }
            events.add(new FoldTrained(version.task(), version.version(), "corr-" + version.task() + version.version(),
                    "3d_fullres", fold, Map.of("mean_dice", dice[fold], "dice_class_1", dice[fold]),
                    prefix + "model_final_checkpoint.model"));
        }
        return events;
    }

    private void send(FoldTrained e) throws Exception {
        KafkaTopics.send(Topics.FOLD_TRAINED, e.task(), new String(codec.serialize(e), StandardCharsets.UTF_8));
    }

    @Test
    void allFoldsInPublishesAPromotedModelAWorseOneIsStoredButNotPromoted() throws Exception {
        String task = TestTasks.unique("Ens");
        VersionLayout v1 = TinyVersion.preprocessed(store, task, 5);
        List<FoldTrained> folds = foldOutputs(v1, new double[] {0.8, 0.9});

        send(folds.get(0));
        assertEquals(0, KafkaTopics.await(Topics.MODEL_PUBLISHED, r -> task.equals(r.key()), 1,
                Duration.ofSeconds(6)).size(), "one of two folds: nothing published");
        send(folds.get(1));
        List<ConsumerRecord<String, String>> published = KafkaTopics.await(Topics.MODEL_PUBLISHED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, published.size());
        ModelPublished event = codec.deserialize(published.get(0).value().getBytes(StandardCharsets.UTF_8),
                ModelPublished.class);
        assertEquals("v1", event.modelVersion());
        assertEquals("models/" + task + "/v1/", event.modelKey());
        ModelPackage.Manifest manifest = ModelPackage.readManifest(store, task, "v1");
        assertEquals("3d_fullres", manifest.configuration());
        assertEquals(List.of(0, 1), manifest.folds());
        assertEquals(0.85, manifest.metrics().get("mean_dice"), 1e-12, "mean over folds");
        assertTrue(store.exists(event.modelKey() + "fold_1/model_final_checkpoint.model"));
        assertTrue(store.exists(event.modelKey() + "provenance.json"));
        assertTrue(store.exists(event.modelKey() + "metrics.json"));
        String pp = new String(store.getBytes(event.modelKey() + ModelPackage.POSTPROCESSING), StandardCharsets.UTF_8);
        assertTrue(JSON.readTree(pp).get("for_which_classes").toString().contains("1"),
                "spurious blobs removed by keeping the largest component of class 1: " + pp);
        assertEquals("v1", ModelPackage.promotedVersion(store, task).orElseThrow());

        // redelivery, twice: no second model
        send(folds.get(1));
        send(folds.get(1));
        assertEquals(1, KafkaTopics.await(Topics.MODEL_PUBLISHED, r -> task.equals(r.key()), 2,
                Duration.ofSeconds(6)).size(), "FoldTrained redelivered twice: no second model");

        // dataset version 2 scores lower: stored and announced, PROMOTED stays at v1
        VersionLayout v2 = new VersionLayout(task, "v2");
        for (ObjectInfo o : store.list(v1.preprocessed())) {
            if (o.key().endsWith(".json") && !o.key().substring(v1.preprocessed().length()).contains("/")
                    || o.key().contains("/gt_segmentations/")) {
                store.copy(o.key(), v2.preprocessed() + o.key().substring(v1.preprocessed().length()));
            }
        }
        for (FoldTrained f : foldOutputs(v2, new double[] {0.5, 0.6})) {
            send(f);
        }
        List<ConsumerRecord<String, String>> both = KafkaTopics.await(Topics.MODEL_PUBLISHED,
                r -> task.equals(r.key()), 2, Duration.ofSeconds(60));
        assertEquals(2, both.size());
        assertTrue(both.get(1).value().contains("\"modelVersion\":\"v2\""), both.get(1).value());
        assertEquals(0.55, ModelPackage.readManifest(store, task, "v2").metrics().get("mean_dice"), 1e-12);
        assertEquals("v1", ModelPackage.promotedVersion(store, task).orElseThrow(), "worse model not promoted");
    }

    @Test
    void foldOfAVersionWithoutTrainingPlanGoesToTheDeadLetterTopic() throws Exception {
        String task = TestTasks.unique("EnsPoison");
        send(new FoldTrained(task, "v7", "c", "3d_fullres", 0, Map.of("mean_dice", 0.5), "k"));
        List<ConsumerRecord<String, String>> dead = KafkaTopics.await(Topics.DEAD_LETTER,
                r -> r.value().contains(task), 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size());
        DeadLetter letter = codec.deserialize(dead.get(0).value().getBytes(StandardCharsets.UTF_8), DeadLetter.class);
        assertEquals(Topics.FOLD_TRAINED, letter.sourceTopic());
        assertEquals(task, letter.task());
        assertTrue(letter.error().contains("training.json"), letter.error());
    }
}
