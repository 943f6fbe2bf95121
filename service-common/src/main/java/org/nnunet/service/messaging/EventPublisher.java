package org.nnunet.service.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.nnunet.events.EventCodec;
import org.nnunet.events.PipelineEvent;

import java.nio.charset.StandardCharsets;

/**
 * Sends one event as JSON to the emitter's Kafka topic under a record key and waits for the broker's
 * acknowledgement, so a handler marks its work done only after its output events are really stored.
 *
 * <p>Keys: events of one task go to one partition ({@link #taskKey}); {@code TrainingRequested} uses
 * {@link #foldKey} so the events of one fold stay ordered while folds spread over trainer replicas.
 */
public final class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final EventCodec codec;

    public EventPublisher(EventCodec codec) {
        this.codec = codec;
    }

    public void publish(MutinyEmitter<String> emitter, String key, PipelineEvent event) {
        String json = new String(codec.serialize(event), StandardCharsets.UTF_8);
        Message<String> message = Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        emitter.sendMessageAndAwait(message);
        LOG.infof("published %s key=%s task=%s version=%s correlationId=%s", event.getClass().getSimpleName(), key,
                event.task(), event.datasetVersion(), event.correlationId());
    }

    public static String taskKey(PipelineEvent event) {
        return event.task();
    }

    public static String foldKey(String task, String datasetVersion, String configuration, int fold) {
        return task + "/" + datasetVersion + "/" + configuration + "/fold_" + fold;
    }
}
