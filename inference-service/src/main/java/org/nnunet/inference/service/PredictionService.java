package org.nnunet.inference.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.nnunet.image.Volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Runs predictions: one at a time per process (two libtorch runs sharing 2 cores are slower than one after the
 * other, djl.md), on the model version current when the request started. Latency is recorded in the Micrometer
 * timer {@code nnunet.inference.latency} (tags task, version, outcome), queueing included.
 */
@ApplicationScoped
public class PredictionService {

    /** A finished prediction: the segmentation file (the caller deletes it) and the model that made it. */
    public record Prediction(Path niftiFile, String caseId, String task, String version) {}

    private final ModelRegistry registry;
    private final InferenceConfig config;
    private final MeterRegistry meters;
    private final Semaphore execution = new Semaphore(1, true);

    public PredictionService(ModelRegistry registry, InferenceConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
    }

    /** @param files client file name -> local file, the modalities of one case */
    public Prediction predict(String task, Map<String, Path> files) throws IOException {
        long t0 = System.nanoTime();
        String outcome = "error";
        String version = "none";
        try (ModelRegistry.Lease model = registry.acquire(task)) {
            version = model.manifest().version();
            List<Volume> volumes = CaseInput.read(files, model.predictor().numModalities(), config.maxVoxels());
            String caseId = CaseInput.parseName(files.keySet().iterator().next(),
                    model.predictor().numModalities()).caseId();
            Path out = Files.createTempFile(registry.scratchDir(), "prediction-", ".nii.gz");
            try {
                execution.acquireUninterruptibly();
                try {
                    model.predictor().predict(caseId, volumes, out);
                } finally {
                    execution.release();
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(out);
                throw e;
            }
            outcome = "success";
            return new Prediction(out, caseId, task, version);
        } catch (ApiException e) {
            outcome = "rejected";
            throw e;
        } finally {
            Timer.builder("nnunet.inference.latency").description("time to answer one case, queueing included")
                    .tags("task", task, "version", version, "outcome", outcome)
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
