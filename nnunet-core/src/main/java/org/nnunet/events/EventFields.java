package org.nnunet.events;

/** Checks shared by the event records' constructors; messages name the event and the field. */
final class EventFields {

    private EventFields() {
    }

    static String requireText(String value, String event, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(event + "." + field + " must be a non-empty string");
        }
        return value;
    }

    static void requireHeader(int schemaVersion, String task, String datasetVersion, String correlationId,
                              String event) {
        if (schemaVersion < 1) {
            throw new IllegalArgumentException(event + ".schemaVersion must be >= 1, was " + schemaVersion);
        }
        requireText(task, event, "task");
        requireText(datasetVersion, event, "datasetVersion");
        requireText(correlationId, event, "correlationId");
    }

    static int requireFold(int fold, String event) {
        if (fold < 0) {
            throw new IllegalArgumentException(event + ".fold must be >= 0 (nnU-Net folds 0..4), was " + fold);
        }
        return fold;
    }
}
