package org.nnunet.events;

/**
 * A raw task (imagesTr, labelsTr, dataset.json) was stored as a new immutable dataset version.
 *
 * @param rawDataPrefix  object-store prefix of the task folder, e.g. {@code nnUNet_raw_data/Task004_Hippocampus/}
 * @param trainingCases  number of labelled cases in dataset.json's "training" list
 */
public record DatasetVersionCreated(int schemaVersion, String task, String datasetVersion, String correlationId,
                                    String rawDataPrefix, int trainingCases) implements PipelineEvent {

    public DatasetVersionCreated {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "DatasetVersionCreated");
        EventFields.requireText(rawDataPrefix, "DatasetVersionCreated", "rawDataPrefix");
        if (trainingCases < 1) {
            throw new IllegalArgumentException("DatasetVersionCreated.trainingCases must be >= 1, was " + trainingCases);
        }
    }

    public DatasetVersionCreated(String task, String datasetVersion, String correlationId, String rawDataPrefix,
                                 int trainingCases) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, rawDataPrefix, trainingCases);
    }
}
