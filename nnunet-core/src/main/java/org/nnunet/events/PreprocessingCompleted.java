package org.nnunet.events;

/**
 * Preprocessing of one configuration finished (nnU-Net v1: the {@code nnUNetData_plans_v2.1_stage0} folder).
 *
 * @param configuration       e.g. {@code 3d_fullres}
 * @param preprocessedPrefix  object-store prefix of the preprocessed cases
 * @param cases               number of preprocessed cases
 */
public record PreprocessingCompleted(int schemaVersion, String task, String datasetVersion, String correlationId,
                                     String configuration, String preprocessedPrefix, int cases)
        implements PipelineEvent {

    public PreprocessingCompleted {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "PreprocessingCompleted");
        EventFields.requireText(configuration, "PreprocessingCompleted", "configuration");
        EventFields.requireText(preprocessedPrefix, "PreprocessingCompleted", "preprocessedPrefix");
        if (cases < 1) {
            throw new IllegalArgumentException("PreprocessingCompleted.cases must be >= 1, was " + cases);
        }
    }

    public PreprocessingCompleted(String task, String datasetVersion, String correlationId, String configuration,
                                  String preprocessedPrefix, int cases) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, configuration, preprocessedPrefix, cases);
    }
}
