package org.nnunet.inference.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nnunet.events.EventCodec;
import org.nnunet.events.EventFormatException;
import org.nnunet.events.ModelPublished;
import org.nnunet.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code nnunet.model-published}: look at the task's {@code PROMOTED} pointer again and serve what it names. The
 * event is only the trigger, so a redelivered event, or one for a version that was stored but not promoted, changes
 * nothing. Every replica consumes every event (its own consumer group). An unreadable message (invalid JSON, other
 * schema version) goes to the dead-letter topic with the reason, and consumption goes on.
 */
@ApplicationScoped
public class ModelPublishedListener {

    private static final Logger LOG = Logger.getLogger(ModelPublishedListener.class);
    private final EventCodec codec = new EventCodec();
    private final ModelRegistry registry;
    private final Emitter<byte[]> deadLetters;

    public ModelPublishedListener(ModelRegistry registry, @Channel("dead-letter") Emitter<byte[]> deadLetters) {
        this.registry = registry;
        this.deadLetters = deadLetters;
    }

    @Incoming("model-published")
    @Blocking
    public void onModelPublished(byte[] payload) {
        ModelPublished event;
        try {
            event = codec.deserialize(payload, ModelPublished.class);
        } catch (EventFormatException e) {
            LOG.errorf("unreadable ModelPublished message to %s: %s", Topics.DEAD_LETTER, e.getMessage());
            deadLetters.send(codec.serialize(codec.deadLetter(Topics.MODEL_PUBLISHED, payload, e, 1, Instant.now())));
            return;
        }
        try {
            var served = registry.refresh(event.task());
            LOG.infof("ModelPublished %s %s (correlation %s): serving %s", event.task(), event.modelVersion(),
                    event.correlationId(), served.orElse("nothing (no promoted model)"));
        } catch (IllegalArgumentException e) {
            LOG.errorf("ignoring ModelPublished for an invalid task: %s; message was %s", e.getMessage(),
                    new String(payload, StandardCharsets.UTF_8));
        }
    }
}
