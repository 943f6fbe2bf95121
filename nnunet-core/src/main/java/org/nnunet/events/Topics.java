package org.nnunet.events;

import java.util.Map;

/** The Kafka topic of each event type: one topic per type, so consumers subscribe to exactly what they handle. */
public final class Topics {

    public static final String DATASET_VERSION_CREATED = "nnunet.dataset-version-created";
    public static final String PLANS_CREATED = "nnunet.plans-created";
    public static final String PREPROCESSING_COMPLETED = "nnunet.preprocessing-completed";
    public static final String TRAINING_REQUESTED = "nnunet.training-requested";
    public static final String FOLD_TRAINED = "nnunet.fold-trained";
    public static final String MODEL_PUBLISHED = "nnunet.model-published";
    public static final String DEAD_LETTER = "nnunet.dead-letter";

    private static final Map<Class<? extends PipelineEvent>, String> TOPIC_OF = Map.of(
            DatasetVersionCreated.class, DATASET_VERSION_CREATED,
            PlansCreated.class, PLANS_CREATED,
            PreprocessingCompleted.class, PREPROCESSING_COMPLETED,
            TrainingRequested.class, TRAINING_REQUESTED,
            FoldTrained.class, FOLD_TRAINED,
            ModelPublished.class, MODEL_PUBLISHED,
            DeadLetter.class, DEAD_LETTER);

    private Topics() {
    }

    public static String topicOf(Class<? extends PipelineEvent> type) {
        String topic = TOPIC_OF.get(type);
        if (topic == null) {
            throw new IllegalArgumentException("no topic for event type " + type.getName());
        }
        return topic;
    }

    /** The event type carried by {@code topic}. */
    public static Class<? extends PipelineEvent> eventTypeOf(String topic) {
        return TOPIC_OF.entrySet().stream().filter(e -> e.getValue().equals(topic)).map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic '" + topic + "'; known: "
                        + TOPIC_OF.values().stream().sorted().toList()));
    }
}
