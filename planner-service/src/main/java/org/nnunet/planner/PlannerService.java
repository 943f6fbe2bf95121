package org.nnunet.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nnunet.events.DatasetVersionCreated;
import org.nnunet.events.EventCodec;
import org.nnunet.events.PlansCreated;
import org.nnunet.events.Topics;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.messaging.InboundEvents.Outcome;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The planner's event flow: MinIO notifications for raw objects -> (debounced) a new dataset version ->
 * {@code DatasetVersionCreated}; {@code DatasetVersionCreated} (its own, or one from another producer) -> plans ->
 * {@code PlansCreated}. Planning reacts to the topic rather than being chained in memory, so a crash between the two
 * steps resumes from the committed offset.
 */
@ApplicationScoped
public class PlannerService {

    static final String MINIO_EVENTS = "nnunet.minio-events";
    private static final Logger LOG = Logger.getLogger(PlannerService.class);

    @Inject
    ObjectStore store;
    @Inject
    PlannerConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    @Channel("versions-out")
    MutinyEmitter<String> versionsOut;
    @Inject
    @Channel("plans-created")
    MutinyEmitter<String> plansOut;
    @Inject
    @Channel("dead-letter")
    MutinyEmitter<String> deadLetters;

    private final EventCodec codec = new EventCodec();
    private final EventPublisher publisher = new EventPublisher(codec);
    private InboundEvents inbound;
    private DatasetVersions versions;
    private UploadDebouncer debouncer;

    @PostConstruct
    void init() {
        inbound = new InboundEvents("planner-service", codec, deadLetters, meters);
        versions = new DatasetVersions(store, config.rawPrefix());
        debouncer = new UploadDebouncer(store, config.debounce(), this::cutVersion);
        try {
            debouncer.rearm();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "cannot re-arm pending uploads from %s: they wait for the next upload of their task",
                    store.location());
        }
    }

    @PreDestroy
    void close() {
        debouncer.close();
    }

    @Incoming("minio-events")
    @Blocking
    public void onMinioEvent(String payload) {
        inbound.handleRaw(MINIO_EVENTS, payload, json -> {
            boolean any = false;
            for (MinioNotification.CreatedObject o : MinioNotification.parse(json).created()) {
                Optional<String> task = versions.taskOf(o.key());
                if (task.isPresent()) {
                    debouncer.touch(task.get());
                    any = true;
                }
            }
            return any ? Outcome.PROCESSED : Outcome.SKIPPED;
        });
    }

    /** Starts the same flow as a burst of notifications (REST upload). */
    void rawTaskChanged(String task) {
        debouncer.touch(task);
    }

    /** Called by the debouncer once uploads of {@code task} went quiet. */
    void cutVersion(String task) {
        try {
            Optional<DatasetVersions.Cut> cut = versions.cut(task);
            if (cut.isEmpty()) {
                LOG.infof("raw objects of %s unchanged since the latest version: no new version", task);
                return;
            }
            DatasetVersionCreated event = new DatasetVersionCreated(task, cut.get().version(),
                    UUID.randomUUID().toString(), cut.get().rawPrefix(), cut.get().trainingCases());
            meters.counter("nnunet.dataset.versions", "task", task).increment();
            publisher.publish(versionsOut, EventPublisher.taskKey(event), event);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "cannot cut a dataset version of %s", task);
            try {
                byte[] payload = new ObjectMapper().writeValueAsBytes(Map.of("task", task));
                publisher.publish(deadLetters, task, codec.deadLetter(MINIO_EVENTS, payload, e, 1, Instant.now()));
            } catch (IOException | RuntimeException unsent) {
                LOG.errorf(unsent, "cannot dead-letter the failed version cut of %s", task);
            }
        }
    }

    @Incoming("versions-in")
    @Blocking
    public void onDatasetVersionCreated(String payload) {
        inbound.handle(Topics.DATASET_VERSION_CREATED, payload, DatasetVersionCreated.class, this::plan);
    }

    private Outcome plan(DatasetVersionCreated event) throws IOException {
        VersionLayout version = new VersionLayout(event.task(), event.datasetVersion());
        String marker = version.root() + "plans-created.json";
        if (store.exists(marker)) {
            return Outcome.SKIPPED;
        }
        long t0 = System.nanoTime();
        Planning.Planned planned = new Planning(store, config).plan(version);
        PlansCreated out = new PlansCreated(event.task(), event.datasetVersion(), event.correlationId(),
                planned.plansKeys(), planned.configurations());
        publisher.publish(plansOut, EventPublisher.taskKey(out), out);
        store.putBytes(marker, codec.serialize(out));
        meters.timer("nnunet.planning.duration", "task", event.task()).record(System.nanoTime() - t0,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        return Outcome.PROCESSED;
    }
}
