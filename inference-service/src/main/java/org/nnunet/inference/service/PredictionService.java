package org.nnunet.inference.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.nnunet.image.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs predictions: one at a time per process, on one thread (two libtorch runs sharing 2 cores are slower than
 * one after the other, djl.md), on the model version current when the request started. Latency is recorded in the Micrometer
 * timer {@code nnunet.inference.latency} (tags task, version, outcome), queueing included.
 */
@ApplicationScoped
public class PredictionService {

    /** A finished prediction: the segmentation file (the caller deletes it) and the model that made it. */
    public record Prediction(Path niftiFile, String caseId, String task, String version) {}

    private final ModelRegistry registry;
    private final InferenceConfig config;
    private final MeterRegistry meters;
    /**
     * The one thread that runs models: serializes execution and keeps libtorch's per-thread state (grad mode,
     * allocator and kernel caches) in one thread instead of one copy per request thread, which measured as RSS
     * growing by gigabytes under concurrent load.
     */
    private final ExecutorService execution = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nnunet-model-execution");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inFlight;
    /** Predictions finished, and when the last one did: what {@link IdleMemoryTrimmer} waits on. */
    private final AtomicLong executions = new AtomicLong();
    private volatile long lastExecutionEnd = System.nanoTime();

    public PredictionService(ModelRegistry registry, InferenceConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
        this.inFlight = meters.gauge("nnunet.inference.in.flight", new AtomicInteger());
    }

    /** Requests holding a model right now (running or waiting for their turn); gauge {@code nnunet_inference_in_flight}. */
    public int inFlight() {
        return inFlight.get();
    }

    /** @param files client file name -> local file, the modalities of one case */
    public Prediction predict(String task, Map<String, Path> files) throws IOException {
        long t0 = System.nanoTime();
        String outcome = "error";
        String version = "none";
        try (ModelRegistry.Lease model = registry.acquire(task)) {
            version = model.manifest().version();
            inFlight.incrementAndGet();
            try {
                Prediction p = run(model, task, files);
                outcome = "success";
                return p;
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (ApiException e) {
            outcome = "rejected";
            throw e;
        } finally {
            Timer.builder("nnunet.inference.latency").description("time to answer one case, queueing included")
                    .tags("task", task, "version", version, "outcome", outcome)
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private Prediction run(ModelRegistry.Lease model, String task, Map<String, Path> files) throws IOException {
        int modalities = model.predictor().numModalities();
        List<Volume> volumes = CaseInput.read(files, modalities, config.maxVoxels());
        String caseId = CaseInput.parseName(files.keySet().iterator().next(), modalities).caseId();
        Path out = Files.createTempFile(registry.scratchDir(), "prediction-", ".nii.gz");
        try {
            execution.submit(() -> {
                try {
                    model.predictor().predict(caseId, volumes, out);
                } finally {
                    lastExecutionEnd = System.nanoTime();
                    executions.incrementAndGet();
                }
                return null;
            }).get();
        } catch (InterruptedException e) {
            Files.deleteIfExists(out);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            Files.deleteIfExists(out);
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return new Prediction(out, caseId, task, model.manifest().version());
    }

    /** Predictions run so far. */
    long executions() {
        return executions.get();
    }

    /** Time since the last prediction finished, zero while one is running or waiting. */
    Duration idle() {
        return inFlight.get() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastExecutionEnd);
    }

    /** Runs {@code task} on the model thread, after the predictions already queued and before any later one. */
    <T> T onModelThread(Callable<T> task) throws ExecutionException, InterruptedException {
        return execution.submit(task).get();
    }

    @PreDestroy
    void stop() {
        execution.shutdownNow();
    }
}
