package org.nnunet.events;

/** Asks a trainer to train one fold of one configuration (nnU-Net v1: {@code nnUNet_train CONFIG TRAINER TASK FOLD}). */
public record TrainingRequested(int schemaVersion, String task, String datasetVersion, String correlationId,
                                String configuration, int fold) implements PipelineEvent {

    public TrainingRequested {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "TrainingRequested");
        EventFields.requireText(configuration, "TrainingRequested", "configuration");
        EventFields.requireFold(fold, "TrainingRequested");
    }

    public TrainingRequested(String task, String datasetVersion, String correlationId, String configuration, int fold) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, configuration, fold);
    }
}
