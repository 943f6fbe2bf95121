package org.nnunet.events;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One fold finished training.
 *
 * @param metrics       validation numbers by name, e.g. {@code mean_dice} and {@code dice_class_1}; sorted by name
 * @param checkpointKey object-store key of {@code model_final_checkpoint.model}
 */
public record FoldTrained(int schemaVersion, String task, String datasetVersion, String correlationId,
                          String configuration, int fold, Map<String, Double> metrics, String checkpointKey)
        implements PipelineEvent {

    public FoldTrained {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "FoldTrained");
        EventFields.requireText(configuration, "FoldTrained", "configuration");
        EventFields.requireFold(fold, "FoldTrained");
        EventFields.requireText(checkpointKey, "FoldTrained", "checkpointKey");
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    public FoldTrained(String task, String datasetVersion, String correlationId, String configuration, int fold,
                       Map<String, Double> metrics, String checkpointKey) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, configuration, fold, metrics, checkpointKey);
    }
}
