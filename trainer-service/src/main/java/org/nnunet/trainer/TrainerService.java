package org.nnunet.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.nnunet.events.EventCodec;
import org.nnunet.events.FoldTrained;
import org.nnunet.events.Topics;
import org.nnunet.events.TrainingRequested;
import org.nnunet.service.VersionLayout;
import org.nnunet.service.messaging.EventPublisher;
import org.nnunet.service.messaging.InboundEvents;
import org.nnunet.service.messaging.InboundEvents.Outcome;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code TrainingRequested} -> one fold trained -> {@code FoldTrained}.
 *
 * <p>Kafka and long trainings: the handler runs on the {@code trainer} worker pool (one thread, so a replica trains
 * one fold at a time) while SmallRye's poll loop keeps calling {@code poll()} on its own thread, pausing the
 * partitions while the handler is busy; {@code max.poll.interval.ms} is therefore never exceeded however long a
 * training takes. The record is acknowledged when the handler returns and the throttled commit strategy commits its
 * offset then (its unprocessed-record age check is off). A replica that dies mid-fold leaves the offset uncommitted:
 * the request is redelivered to another replica, which waits for the dead replica's lease to expire and resumes from
 * the last uploaded {@code model_latest}.
 *
 * <p>On shutdown the training stops after the current epoch with {@code model_latest} uploaded and the record is
 * nacked ({@link InboundEvents.Redeliver}), not committed.
 *
 * <p>Idempotency: {@code fold_N/DONE} (written after {@code FoldTrained} was acknowledged by the broker) makes a
 * redelivered request a no-op.
 */
@ApplicationScoped
public class TrainerService {

    private static final Logger LOG = Logger.getLogger(TrainerService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;
    @Inject
    TrainerConfig config;
    @Inject
    MeterRegistry meters;
    @Inject
    @Channel("fold-trained")
    MutinyEmitter<String> foldTrainedOut;
    @Inject
    @Channel("dead-letter")
    MutinyEmitter<String> deadLetters;

    private final EventCodec codec = new EventCodec();
    private final EventPublisher publisher = new EventPublisher(codec);
    private final AtomicInteger currentEpoch = new AtomicInteger();
    private final AtomicInteger training = new AtomicInteger();
    private InboundEvents inbound;
    private String replicaId;
    private volatile boolean stopping;

    @PostConstruct
    void init() {
        inbound = new InboundEvents("trainer-service", codec, deadLetters, meters);
        replicaId = config.replicaId().orElseGet(TrainerService::defaultReplicaId);
        meters.gauge("nnunet.trainer.fold.epoch", currentEpoch);
        meters.gauge("nnunet.trainer.fold.epochs", config, TrainerConfig::epochs);
        meters.gauge("nnunet.trainer.folds.in.progress", training);
    }

    /**
     * Pod shutdown (SIGTERM): the running training stops after its current epoch, uploads {@code model_latest} and
     * leaves its record uncommitted, so another replica resumes it; waits up to {@code nnunet.trainer.stop-wait}.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + config.stopWait().toNanos();
        while (training.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    @Incoming("training-requested")
    @Blocking(value = "trainer", ordered = false)
    public void onTrainingRequested(String payload) {
        inbound.handle(Topics.TRAINING_REQUESTED, payload, TrainingRequested.class, this::train);
    }

    private Outcome train(TrainingRequested request) throws IOException, InterruptedException {
        VersionLayout version = new VersionLayout(request.task(), request.datasetVersion());
        String foldPrefix = version.fold(request.configuration(), request.fold());
        String done = foldPrefix + "DONE";
        FoldLease lease = new FoldLease(store, foldPrefix + "LEASE", replicaId, config.leaseDuration());
        while (true) {
            if (store.exists(done)) {
                return Outcome.SKIPPED;
            }
            if (lease.tryAcquire()) {
                break;
            }
            LOG.infof("%s %s fold %d is leased by %s: waiting", request.task(), request.configuration(),
                    request.fold(), lease.holder().map(FoldLease.Holder::owner).orElse("?"));
            Thread.sleep(config.leasePoll().toMillis());
        }
        training.incrementAndGet();
        currentEpoch.set(0);
        long t0 = System.nanoTime();
        try {
            if (store.exists(done)) {
                return Outcome.SKIPPED;
            }
            FoldTraining.Result result = new FoldTraining(store, config).run(version, request.configuration(),
                    request.fold(), epoch -> {
                        currentEpoch.set(epoch);
                        meters.counter("nnunet.trainer.epochs", "configuration", request.configuration()).increment();
                        try {
                            lease.renew();
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot renew the lease of " + foldPrefix, e);
                        }
                    }, () -> stopping);
            FoldTrained trained = new FoldTrained(request.task(), request.datasetVersion(), request.correlationId(),
                    request.configuration(), request.fold(), result.metrics(), result.checkpointKey());
            publisher.publish(foldTrainedOut, EventPublisher.taskKey(trained), trained);
            store.putBytes(done, JSON.writeValueAsBytes(Map.of("event", JSON.readTree(codec.serialize(trained)),
                    "replica", replicaId, "resumedFromEpoch", result.resumedFromEpoch())));
            meters.timer("nnunet.trainer.fold.duration", "configuration", request.configuration())
                    .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return Outcome.PROCESSED;
        } finally {
            training.decrementAndGet();
            lease.release();
        }
    }

    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "trainer";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
