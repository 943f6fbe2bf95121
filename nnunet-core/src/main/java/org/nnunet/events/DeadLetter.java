package org.nnunet.events;

/**
 * Envelope for a message a service could not process, published to {@link Topics#DEAD_LETTER} so it is kept for
 * inspection and replay instead of blocking its topic.
 *
 * <p>{@code task}, {@code datasetVersion} and {@code correlationId} are copied from the failed event when it could
 * be read, and are {@value #UNKNOWN} when it could not (e.g. invalid JSON).
 *
 * @param sourceTopic topic the failed message came from
 * @param payload     the failed message exactly as received (UTF-8 text)
 * @param error       exception class and message of the failure
 * @param attempts    how many times processing was tried
 * @param failedAt    ISO-8601 instant of the last failure
 */
public record DeadLetter(int schemaVersion, String task, String datasetVersion, String correlationId,
                         String sourceTopic, String payload, String error, int attempts, String failedAt)
        implements PipelineEvent {

    public static final String UNKNOWN = "unknown";

    public DeadLetter {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "DeadLetter");
        EventFields.requireText(sourceTopic, "DeadLetter", "sourceTopic");
        EventFields.requireText(error, "DeadLetter", "error");
        EventFields.requireText(failedAt, "DeadLetter", "failedAt");
        if (payload == null) {
            throw new IllegalArgumentException("DeadLetter.payload must not be null");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("DeadLetter.attempts must be >= 1, was " + attempts);
        }
    }

    public DeadLetter(String task, String datasetVersion, String correlationId, String sourceTopic, String payload,
                      String error, int attempts, String failedAt) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, sourceTopic, payload, error, attempts, failedAt);
    }
}
