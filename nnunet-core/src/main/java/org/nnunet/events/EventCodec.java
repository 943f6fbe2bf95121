package org.nnunet.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON form of {@link PipelineEvent}s. Reading checks {@code schemaVersion} first: a message written by a newer
 * (or older, incompatible) schema is refused with an {@link EventFormatException} that says which version it has and
 * which this build reads, instead of being half-understood. Unknown fields are ignored, so adding an optional field
 * does not need a new schema version; removing or changing one does.
 */
public final class EventCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);

    public byte[] serialize(PipelineEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot serialise " + event.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public <T extends PipelineEvent> T deserialize(byte[] json, Class<T> type) {
        String name = type.getSimpleName();
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new EventFormatException("invalid JSON for " + name + ": " + shortMessage(e) + "; message was: "
                    + preview(json), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new EventFormatException("invalid JSON for " + name + ": expected an object; message was: "
                    + preview(json));
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.isInt()) {
            throw new EventFormatException(name + " has no integer schemaVersion; message was: " + preview(json));
        }
        if (version.intValue() != PipelineEvent.SCHEMA_VERSION) {
            throw new EventFormatException(name + " has schemaVersion " + version.intValue()
                    + " but this build reads only schemaVersion " + PipelineEvent.SCHEMA_VERSION);
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new EventFormatException("invalid " + name + ": " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new EventFormatException("invalid " + name + ": " + shortMessage(e), e);
        }
    }

    /** Reads a message of {@code topic} as the event type that topic carries ({@link Topics#eventTypeOf}). */
    public PipelineEvent deserialize(String topic, byte[] json) {
        return deserialize(json, Topics.eventTypeOf(topic));
    }

    /**
     * Wraps a message that could not be processed for {@link Topics#DEAD_LETTER}, copying task, dataset version and
     * correlation id from it when it is a JSON object that has them ({@link DeadLetter#UNKNOWN} otherwise).
     */
    public DeadLetter deadLetter(String sourceTopic, byte[] payload, Throwable error, int attempts, Instant failedAt) {
        JsonNode tree = null;
        try {
            tree = mapper.readTree(payload);
        } catch (IOException unreadable) {
            // keep UNKNOWN header fields: the payload itself is what went wrong
        }
        return new DeadLetter(headerField(tree, "task"), headerField(tree, "datasetVersion"),
                headerField(tree, "correlationId"), sourceTopic, new String(payload, StandardCharsets.UTF_8),
                error.getClass().getName() + ": " + error.getMessage(), attempts, failedAt.toString());
    }

    private static String headerField(JsonNode tree, String field) {
        JsonNode node = tree == null ? null : tree.get(field);
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : DeadLetter.UNKNOWN;
    }

    private static String shortMessage(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }

    private static String preview(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
