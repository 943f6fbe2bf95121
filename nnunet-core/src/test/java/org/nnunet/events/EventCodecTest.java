package org.nnunet.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    static final String TASK = "Task004_Hippocampus";
    static final String VERSION = "ds-20261127-1";
    static final String CORRELATION = "run-42";

    final EventCodec codec = new EventCodec();

    static List<PipelineEvent> oneOfEach() {
        return List.of(
                new DatasetVersionCreated(TASK, VERSION, CORRELATION, "nnUNet_raw_data/Task004_Hippocampus/", 260),
                new PlansCreated(TASK, VERSION, CORRELATION,
                        List.of("nnUNet_preprocessed/Task004_Hippocampus/nnUNetPlansv2.1_plans_2D.json",
                                "nnUNet_preprocessed/Task004_Hippocampus/nnUNetPlansv2.1_plans_3D.json"),
                        List.of("2d", "3d_fullres")),
                new PreprocessingCompleted(TASK, VERSION, CORRELATION, "3d_fullres",
                        "nnUNet_preprocessed/Task004_Hippocampus/nnUNetData_plans_v2.1_stage0/", 260),
                new TrainingRequested(TASK, VERSION, CORRELATION, "3d_fullres", 3),
                new FoldTrained(TASK, VERSION, CORRELATION, "3d_fullres", 3,
                        Map.of("dice_class_2", 0.875, "dice_class_1", 0.9, "mean_dice", 0.8875),
                        "nnUNet_trained_models/Task004_Hippocampus/fold_3/model_final_checkpoint.model"),
                new ModelPublished(TASK, VERSION, CORRELATION, "2026-11-27.1", "models/Task004_Hippocampus/2026-11-27.1/"),
                new DeadLetter(TASK, VERSION, CORRELATION, Topics.TRAINING_REQUESTED,
                        "{\"schemaVersion\":1}", "java.lang.IllegalStateException: out of memory", 3,
                        "2026-11-27T13:00:00Z"));
    }

    @Test
    @DisplayName("every event type survives serialize -> deserialize, through its own topic")
    void roundTrip() {
        for (PipelineEvent event : oneOfEach()) {
            byte[] json = codec.serialize(event);
            assertEquals(event, codec.deserialize(json, event.getClass()));
            assertEquals(event, codec.deserialize(Topics.topicOf(event.getClass()), json));
        }
    }

    @Test
    @DisplayName("JSON carries schemaVersion 1 and the header fields by name")
    void jsonShape() throws IOException {
        byte[] json = codec.serialize(new TrainingRequested(TASK, VERSION, CORRELATION, "2d", 0));
        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals(1, tree.get("schemaVersion").intValue());
        assertEquals(TASK, tree.get("task").textValue());
        assertEquals(VERSION, tree.get("datasetVersion").textValue());
        assertEquals(CORRELATION, tree.get("correlationId").textValue());
        assertEquals("2d", tree.get("configuration").textValue());
        assertEquals(0, tree.get("fold").intValue());
        assertEquals(6, tree.size());
    }

    @Test
    @DisplayName("FoldTrained metrics are kept sorted by name")
    void metricsSorted() {
        FoldTrained event = (FoldTrained) oneOfEach().get(4);
        assertEquals(List.of("dice_class_1", "dice_class_2", "mean_dice"), List.copyOf(event.metrics().keySet()));
        assertEquals(0.8875, codec.deserialize(codec.serialize(event), FoldTrained.class).metrics().get("mean_dice"));
    }

    @Test
    @DisplayName("an unknown schemaVersion is refused, naming both versions")
    void unknownSchemaVersion() {
        String json = "{\"schemaVersion\":2,\"task\":\"Task004_Hippocampus\",\"datasetVersion\":\"v\","
                + "\"correlationId\":\"c\",\"configuration\":\"2d\",\"fold\":0}";
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> codec.deserialize(json.getBytes(StandardCharsets.UTF_8), TrainingRequested.class));
        assertEquals("TrainingRequested has schemaVersion 2 but this build reads only schemaVersion 1", e.getMessage());

        EventFormatException missing = assertThrows(EventFormatException.class,
                () -> codec.deserialize("{\"task\":\"t\"}".getBytes(StandardCharsets.UTF_8), PlansCreated.class));
        assertTrue(missing.getMessage().startsWith("PlansCreated has no integer schemaVersion"), missing.getMessage());
    }

    @Test
    @DisplayName("invalid JSON is refused with the event name and a preview of the message")
    void invalidJson() {
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> codec.deserialize("{\"schemaVersion\":1, task".getBytes(StandardCharsets.UTF_8),
                        FoldTrained.class));
        assertTrue(e.getMessage().startsWith("invalid JSON for FoldTrained: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("message was: {\"schemaVersion\":1, task"), e.getMessage());

        EventFormatException array = assertThrows(EventFormatException.class,
                () -> codec.deserialize("[1,2]".getBytes(StandardCharsets.UTF_8), FoldTrained.class));
        assertTrue(array.getMessage().contains("expected an object"), array.getMessage());
    }

    @Test
    @DisplayName("a missing or blank required field is refused, naming the field")
    void missingField() {
        String noTask = "{\"schemaVersion\":1,\"datasetVersion\":\"v\",\"correlationId\":\"c\","
                + "\"configuration\":\"2d\",\"fold\":0}";
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> codec.deserialize(noTask.getBytes(StandardCharsets.UTF_8), TrainingRequested.class));
        assertTrue(e.getMessage().contains("task"), e.getMessage());

        String negativeFold = "{\"schemaVersion\":1,\"task\":\"t\",\"datasetVersion\":\"v\",\"correlationId\":\"c\","
                + "\"configuration\":\"2d\",\"fold\":-1}";
        EventFormatException fold = assertThrows(EventFormatException.class,
                () -> codec.deserialize(negativeFold.getBytes(StandardCharsets.UTF_8), TrainingRequested.class));
        assertEquals("invalid TrainingRequested: TrainingRequested.fold must be >= 0 (nnU-Net folds 0..4), was -1",
                fold.getMessage());
    }

    @Test
    @DisplayName("unknown extra fields are ignored (additive change within schemaVersion 1)")
    void extraFieldIgnored() {
        String json = "{\"schemaVersion\":1,\"task\":\"t\",\"datasetVersion\":\"v\",\"correlationId\":\"c\","
                + "\"configuration\":\"2d\",\"fold\":1,\"priority\":\"high\"}";
        assertEquals(new TrainingRequested("t", "v", "c", "2d", 1),
                codec.deserialize(json.getBytes(StandardCharsets.UTF_8), TrainingRequested.class));
    }

    @Test
    @DisplayName("deadLetter keeps the raw payload and copies the header fields when they can be read")
    void deadLetterEnvelope() {
        Instant at = Instant.parse("2026-11-27T13:00:00Z");
        byte[] good = codec.serialize(new TrainingRequested(TASK, VERSION, CORRELATION, "2d", 1));
        DeadLetter letter = codec.deadLetter(Topics.TRAINING_REQUESTED, good,
                new IllegalStateException("GPU lost"), 3, at);
        assertEquals(new DeadLetter(TASK, VERSION, CORRELATION, Topics.TRAINING_REQUESTED,
                new String(good, StandardCharsets.UTF_8), "java.lang.IllegalStateException: GPU lost", 3,
                "2026-11-27T13:00:00Z"), letter);
        assertEquals(letter, codec.deserialize(codec.serialize(letter), DeadLetter.class));

        DeadLetter garbage = codec.deadLetter(Topics.PLANS_CREATED, "not json".getBytes(StandardCharsets.UTF_8),
                new EventFormatException("invalid JSON for PlansCreated"), 1, at);
        assertEquals(DeadLetter.UNKNOWN, garbage.task());
        assertEquals(DeadLetter.UNKNOWN, garbage.correlationId());
        assertEquals("not json", garbage.payload());
    }

    @Test
    @DisplayName("one distinct nnunet.* topic per event type, and unknown topics are refused")
    void topics() {
        Set<String> topics = oneOfEach().stream().map(e -> Topics.topicOf(e.getClass())).collect(Collectors.toSet());
        assertEquals(7, topics.size());
        assertTrue(topics.stream().allMatch(t -> t.startsWith("nnunet.")), topics.toString());
        assertEquals("nnunet.plans-created", Topics.topicOf(PlansCreated.class));
        assertEquals(FoldTrained.class, Topics.eventTypeOf("nnunet.fold-trained"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Topics.eventTypeOf("nnunet.nope"));
        assertTrue(e.getMessage().contains("nnunet.nope"), e.getMessage());
    }
}
