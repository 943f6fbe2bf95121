package org.nnunet.events;

/**
 * A trained model (plans + fold checkpoints) was published for inference.
 *
 * @param modelVersion the published version, e.g. {@code 2026-11-27.1}
 * @param modelKey     object-store prefix or key of the published model
 */
public record ModelPublished(int schemaVersion, String task, String datasetVersion, String correlationId,
                             String modelVersion, String modelKey) implements PipelineEvent {

    public ModelPublished {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "ModelPublished");
        EventFields.requireText(modelVersion, "ModelPublished", "modelVersion");
        EventFields.requireText(modelKey, "ModelPublished", "modelKey");
    }

    public ModelPublished(String task, String datasetVersion, String correlationId, String modelVersion,
                          String modelKey) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, modelVersion, modelKey);
    }
}
