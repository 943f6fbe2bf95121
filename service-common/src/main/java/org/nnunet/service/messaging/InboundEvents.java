package org.nnunet.service.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.EventFormatException;
import org.nnunet.events.PipelineEvent;
import org.nnunet.events.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one way a service consumes a pipeline event: decode (schema version checked by {@link EventCodec}), put task,
 * dataset version and correlation id into the log MDC, run the handler, count the outcome, and send anything that
 * cannot be decoded or processed to {@link Topics#DEAD_LETTER} with the reason. It throws only {@link Redeliver}, so
 * one poison message cannot stop the channel; a dead-lettered record is committed like a processed one.
 *
 * <p>Handlers are idempotent by looking at the object store (their output or a marker object) and return
 * {@link Outcome#SKIPPED} for a redelivered event.
 */
public final class InboundEvents {

    public enum Outcome { PROCESSED, SKIPPED }

    /**
     * Thrown by a handler whose work was interrupted (the replica is stopping) and must be done by whoever receives
     * the record next: it is not dead-lettered but rethrown, so the record is nacked and its offset not committed.
     */
    public static final class Redeliver extends RuntimeException {
        public Redeliver(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    public interface Handler<T> {
        Outcome handle(T event) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(InboundEvents.class);

    private final String service;
    private final EventCodec codec;
    private final MutinyEmitter<String> deadLetters;
    private final MeterRegistry meters;

    public InboundEvents(String service, EventCodec codec, MutinyEmitter<String> deadLetters, MeterRegistry meters) {
        this.service = service;
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    /** Decodes {@code payload} as an event of {@code type} read from {@code topic} and runs {@code handler}. */
    public <T extends PipelineEvent> void handle(String topic, String payload, Class<T> type, Handler<T> handler) {
        byte[] bytes = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        T event;
        try {
            event = codec.deserialize(bytes, type);
        } catch (EventFormatException | IllegalArgumentException e) {
            deadLetter(topic, bytes, e);
            return;
        }
        handleDecoded(topic, bytes, event, handler);
    }

    /** For messages that are not pipeline events (MinIO notifications): the caller decoded them already. */
    public void handleRaw(String topic, String payload, Handler<String> handler) {
        byte[] bytes = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        try {
            count(topic, handler.handle(payload).name().toLowerCase());
        } catch (Exception e) {
            deadLetter(topic, bytes, e);
        }
    }

    private <T extends PipelineEvent> void handleDecoded(String topic, byte[] bytes, T event, Handler<T> handler) {
        MDC.put("task", event.task());
        MDC.put("datasetVersion", event.datasetVersion());
        MDC.put("correlationId", event.correlationId());
        try {
            Outcome outcome = handler.handle(event);
            if (outcome == Outcome.SKIPPED) {
                LOG.infof("%s from %s already handled: skipped", type(event), topic);
            }
            count(topic, outcome.name().toLowerCase());
        } catch (Redeliver e) {
            LOG.warnf("%s from %s interrupted, left for redelivery: %s", type(event), topic, e.getMessage());
            count(topic, "redeliver");
            throw e;
        } catch (Exception e) {
            deadLetter(topic, bytes, e);
        } finally {
            MDC.remove("task");
            MDC.remove("datasetVersion");
            MDC.remove("correlationId");
        }
    }

    private void deadLetter(String topic, byte[] payload, Exception error) {
        LOG.errorf(error, "%s: message from %s sent to %s: %s", service, topic, Topics.DEAD_LETTER, error.getMessage());
        DeadLetter letter = codec.deadLetter(topic, payload, error, 1, Instant.now());
        new EventPublisher(codec).publish(deadLetters, topic, letter);
        count(topic, "dead-letter");
    }

    private void count(String topic, String outcome) {
        meters.counter("nnunet.events.consumed", "service", service, "topic", topic, "outcome", outcome).increment();
    }

    private static String type(Object event) {
        return event.getClass().getSimpleName();
    }
}
