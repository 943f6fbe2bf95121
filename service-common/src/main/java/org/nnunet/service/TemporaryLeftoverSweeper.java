package org.nnunet.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nnunet.storage.ObjectStore;
import org.nnunet.storage.SweptLeftovers;
import org.nnunet.storage.TemporaryLeftovers;

import java.io.IOException;
import java.time.Duration;

/**
 * Expires what interrupted writes leave in the object store ({@link TemporaryLeftovers#sweepTemporary}: temporary
 * objects of puts cut by a killed process or by the S3 server's death, and their incomplete multipart uploads): at
 * start (the scheduler fires an interval job on its first tick) and then every {@code nnunet.store.temp-sweep.every},
 * removing what is older than {@code nnunet.store.temp-sweep.older-than}. Counts into
 * {@code nnunet.store.temp-sweep.objects}, {@code .bytes}, {@code .multipart-uploads} and
 * {@code nnunet.store.temp-sweep.runs{outcome}}.
 *
 * <p>Every replica of every service sweeps the same bucket; that is harmless: deleting a key or aborting an upload
 * another sweeper removed first is not an error, and the age guard keeps any writer's live temporary object safe.
 * A failed sweep (store down) is logged and retried at the next period, without {@link RetryingObjectStore}'s
 * retries: it asks the {@link DirectStore}, the only one that knows where its temporaries are.
 */
@ApplicationScoped
public class TemporaryLeftoverSweeper {

    private static final Logger LOG = Logger.getLogger(TemporaryLeftoverSweeper.class);

    private final ObjectStore store;
    private final ObjectStoreConfig.TempSweep config;
    private final Counter objects;
    private final Counter bytes;
    private final Counter multipartUploads;
    private final Counter succeeded;
    private final Counter failed;

    public TemporaryLeftoverSweeper(@DirectStore ObjectStore store, ObjectStoreConfig config, MeterRegistry meters) {
        this.store = store;
        this.config = config.tempSweep();
        this.objects = Counter.builder("nnunet.store.temp-sweep.objects")
                .description("temporary objects of interrupted writes deleted").register(meters);
        this.bytes = Counter.builder("nnunet.store.temp-sweep.bytes").baseUnit("bytes")
                .description("bytes of the temporary objects deleted").register(meters);
        this.multipartUploads = Counter.builder("nnunet.store.temp-sweep.multipart-uploads")
                .description("incomplete multipart uploads aborted").register(meters);
        this.succeeded = Counter.builder("nnunet.store.temp-sweep.runs").tag("outcome", "ok").register(meters);
        this.failed = Counter.builder("nnunet.store.temp-sweep.runs").tag("outcome", "failed").register(meters);
    }

    @Scheduled(identity = "nnunet-temp-sweep", every = "{nnunet.store.temp-sweep.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!config.enabled() || !(store instanceof TemporaryLeftovers leftovers)) {
            return;
        }
        Duration olderThan = config.olderThan();
        SweptLeftovers swept;
        try {
            swept = leftovers.sweepTemporary(olderThan);
        } catch (IOException | RuntimeException e) {
            failed.increment();
            LOG.warnf("sweep of temporary leftovers in %s failed, next try in %s: %s", store.location(),
                    config.every(), e.getMessage());
            return;
        }
        succeeded.increment();
        objects.increment(swept.objects());
        bytes.increment(swept.bytes());
        multipartUploads.increment(swept.multipartUploads());
        if (!swept.isEmpty()) {
            LOG.infof("removed %d temporary objects (%d bytes) and aborted %d incomplete multipart uploads older "
                    + "than %s in %s", swept.objects(), swept.bytes(), swept.multipartUploads(), olderThan,
                    store.location());
        }
    }
}
