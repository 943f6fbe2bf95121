package org.nnunet.events;

/**
 * A message between the pipeline services (planner, preprocess, trainer, inference, ensemble), one Kafka topic per
 * event type ({@link Topics}), serialised as JSON by {@link EventCodec}.
 *
 * <p>Every event names the task ({@code Task004_Hippocampus}), the immutable dataset version it was computed from
 * and the correlation id of the run that started the chain, so a consumer can tell stale events from current ones
 * and logs of one run can be followed across services.
 */
public sealed interface PipelineEvent
        permits DatasetVersionCreated, PlansCreated, PreprocessingCompleted, TrainingRequested, FoldTrained,
        ModelPublished, DeadLetter {

    /** The schema version this build writes and reads. */
    int SCHEMA_VERSION = 1;

    int schemaVersion();

    String task();

    String datasetVersion();

    String correlationId();
}
