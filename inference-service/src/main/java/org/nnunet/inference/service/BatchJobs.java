package org.nnunet.inference.service;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Batch prediction over an object-store prefix: every case {@code CASE_XXXX.nii.gz} under the input prefix is
 * predicted into {@code OUTPUT_PREFIX/CASE.nii.gz}, one job after the other on one worker thread (the predictions
 * themselves share {@link PredictionService}'s one-at-a-time execution with synchronous requests). Job states live
 * in memory: a restart forgets them (the written outputs stay).
 */
@ApplicationScoped
public class BatchJobs {

    private static final Logger LOG = Logger.getLogger(BatchJobs.class);

    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED }

    /** A job as {@code GET /v1/jobs/{id}} shows it. */
    public record Job(String id, String task, String inputPrefix, String outputPrefix, Status status, int cases,
                      int done, List<String> outputs, Map<String, String> errors, String submittedAt,
                      String finishedAt) {}

    private final ObjectStore store;
    private final PredictionService predictions;
    private final ModelRegistry registry;
    private final InferenceConfig config;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nnunet-batch-jobs");
        t.setDaemon(true);
        return t;
    });

    public BatchJobs(ObjectStore store, PredictionService predictions, ModelRegistry registry, InferenceConfig config) {
        this.store = store;
        this.predictions = predictions;
        this.registry = registry;
        this.config = config;
    }

    /** Checks the request, lists the cases, and queues the job. */
    public Job submit(String task, String inputPrefix, String outputPrefix) throws IOException {
        String in = prefix(inputPrefix, "inputPrefix");
        String out = prefix(outputPrefix, "outputPrefix");
        if (in.startsWith(out) || out.startsWith(in)) {
            throw new ApiException(400, "inputPrefix '" + in + "' and outputPrefix '" + out + "' must not overlap");
        }
        try (ModelRegistry.Lease model = registry.acquire(task)) {
            Map<String, Map<String, String>> cases = cases(in, model.predictor().numModalities());
            if (cases.isEmpty()) {
                throw new ApiException(400, "no CASE_XXXX.nii.gz object under '" + in + "' in " + store.location());
            }
            if (cases.size() > config.maxJobCases()) {
                throw new ApiException(413, cases.size() + " cases under '" + in + "', more than the limit "
                        + config.maxJobCases());
            }
            Job job = new Job(UUID.randomUUID().toString(), task, in, out, Status.QUEUED, cases.size(), 0, List.of(),
                    Map.of(), Instant.now().toString(), null);
            jobs.put(job.id(), job);
            worker.submit(() -> run(job, cases));
            return job;
        }
    }

    public Job get(String id) {
        Job j = jobs.get(id);
        if (j == null) {
            throw new ApiException(404, "no job '" + id + "' (job states are kept in memory until a restart)");
        }
        return j;
    }

    /** Case id -> (object name -> key), for every {@code CASE_XXXX.nii(.gz)} directly under the prefix. */
    private Map<String, Map<String, String>> cases(String prefix, int modalities) throws IOException {
        Map<String, Map<String, String>> cases = new TreeMap<>();
        for (ObjectInfo o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.contains("/") || !(name.endsWith(".nii.gz") || name.endsWith(".nii"))) {
                continue;
            }
            CaseInput.Name n = CaseInput.parseName(name, modalities);
            cases.computeIfAbsent(n.caseId(), c -> new TreeMap<>()).put(name, o.key());
        }
        return cases;
    }

    private void run(Job queued, Map<String, Map<String, String>> cases) {
        Job job = withProgress(queued, Status.RUNNING, 0, List.of(), Map.of(), null);
        List<String> outputs = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        int done = 0;
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(registry.scratchDir(), "job-");
            for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
                Map<String, Path> files = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, String> f : c.getValue().entrySet()) {
                        Path local = scratch.resolve(f.getKey());
                        try (InputStream in = store.get(f.getValue())) {
                            Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                        files.put(f.getKey(), local);
                    }
                    PredictionService.Prediction p = predictions.predict(job.task(), files);
                    String key = job.outputPrefix() + c.getKey() + ".nii.gz";
                    try {
                        store.put(key, p.niftiFile());
                    } finally {
                        Files.deleteIfExists(p.niftiFile());
                    }
                    outputs.add(key);
                } catch (IOException | RuntimeException e) {
                    errors.put(c.getKey(), e.getMessage());
                } finally {
                    for (Path p : files.values()) {
                        Files.deleteIfExists(p);
                    }
                }
                done++;
                job = withProgress(job, Status.RUNNING, done, outputs, errors, null);
            }
            job = withProgress(job, errors.isEmpty() ? Status.SUCCEEDED : Status.FAILED, done, outputs, errors,
                    Instant.now().toString());
        } catch (IOException | RuntimeException e) {
            errors.put("job", e.getMessage());
            job = withProgress(job, Status.FAILED, done, outputs, errors, Instant.now().toString());
        } finally {
            ServedModel.deleteTree(scratch);
        }
        LOG.infof("job %s %s: %d/%d cases written to %s", job.id(), job.status(), outputs.size(), job.cases(),
                job.outputPrefix());
    }

    private Job withProgress(Job j, Status status, int done, List<String> outputs, Map<String, String> errors,
                             String finishedAt) {
        Job next = new Job(j.id(), j.task(), j.inputPrefix(), j.outputPrefix(), status, j.cases(), done,
                List.copyOf(outputs), Map.copyOf(errors), j.submittedAt(), finishedAt);
        jobs.put(j.id(), next);
        return next;
    }

    private static String prefix(String prefix, String field) {
        if (prefix == null || prefix.isBlank()) {
            throw new ApiException(400, field + " is missing");
        }
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        try {
            return ObjectKeys.requireValidPrefix(p);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, field + ": " + e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
