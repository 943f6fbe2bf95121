package org.nnunet.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;

/**
 * Gives libtorch's freed memory back to the OS after a burst of predictions: once no prediction has run for
 * {@code nnunet.inference.memory-trim.idle}, one {@code malloc_trim(0)} on the model thread (so it never overlaps a
 * prediction), and not again until the next prediction. Without it the pod keeps the burst's peak RSS, which
 * the load test measured at ~0.5 GB above the idle baseline (docs/reliability.md, Load): memory a Kubernetes
 * memory limit and the node's other pods cannot use. Counted in {@code nnunet_inference_memory_trims_total} and
 * {@code nnunet_inference_memory_trimmed_bytes_total} (the RSS drop).
 */
@ApplicationScoped
public class IdleMemoryTrimmer {

    private static final Logger LOG = Logger.getLogger(IdleMemoryTrimmer.class);

    private final PredictionService predictions;
    private final InferenceConfig.MemoryTrim config;
    private final Counter trims;
    private final Counter trimmedBytes;
    /** {@link PredictionService#executions()} at the last trim: nothing to return until it moves. */
    private long trimmedAfter;

    public IdleMemoryTrimmer(PredictionService predictions, InferenceConfig config, MeterRegistry meters) {
        this.predictions = predictions;
        this.config = config.memoryTrim();
        this.trims = Counter.builder("nnunet.inference.memory.trims")
                .description("malloc_trim calls after an idle period").register(meters);
        this.trimmedBytes = Counter.builder("nnunet.inference.memory.trimmed.bytes")
                .description("resident memory returned to the OS by the idle trims").register(meters);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void trimWhenIdle() throws InterruptedException {
        long executions = predictions.executions();
        if (!config.enabled() || !NativeHeap.available() || executions == trimmedAfter
                || predictions.idle().compareTo(config.idle()) < 0) {
            return;
        }
        try {
            predictions.onModelThread(() -> {
                trim();
                return null;
            });
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "idle memory trim failed");
        }
        trimmedAfter = executions;
    }

    private void trim() {
        OptionalLong before = NativeHeap.residentBytes();
        long t0 = System.nanoTime();
        boolean released = NativeHeap.trim();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        OptionalLong after = NativeHeap.residentBytes();
        if (!NativeHeap.available()) {
            LOG.info("no glibc malloc_trim in this process: idle memory trims are off");
            return;
        }
        trims.increment();
        if (before.isPresent() && after.isPresent()) {
            long returned = Math.max(0, before.getAsLong() - after.getAsLong());
            trimmedBytes.increment(returned);
            LOG.infof("idle for %s: malloc_trim returned %d MB to the OS in %d ms (RSS %d -> %d MB)",
                    config.idle(), returned >> 20, millis, before.getAsLong() >> 20, after.getAsLong() >> 20);
        } else if (released) {
            LOG.infof("idle for %s: malloc_trim returned memory to the OS in %d ms", config.idle(), millis);
        }
    }
}
