package org.nnunet.inference.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.network.NetworkDevice;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The served model of each task: the version {@code models/TASK/PROMOTED} names, loaded at start and swapped when a
 * {@code ModelPublished} event makes the registry look again. A swap is one {@link AtomicReference} write: requests
 * that already hold the old model finish on it, and it is closed when the last of them releases it.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    /** What readiness and {@code GET /v1/tasks/{task}/model} report about a task. */
    public record TaskState(String task, String state, String version, String detail) {}

    /** A request's hold on a model; closing it releases the model. */
    public static final class Lease implements AutoCloseable {
        private final ServedModel model;

        private Lease(ServedModel model) {
            this.model = model;
        }

        public ModelPredictor predictor() {
            return model.predictor();
        }

        public ModelPackage.Manifest manifest() {
            return model.manifest();
        }

        @Override
        public void close() {
            model.release();
        }
    }

    private final ObjectStore store;
    private final InferenceConfig config;
    private final Map<String, AtomicReference<ServedModel>> models = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    public ModelRegistry(ObjectStore store, InferenceConfig config) {
        this.store = store;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        try {
            for (ObjectInfo o : store.list(ModelPackage.ROOT)) {
                String[] parts = o.key().split("/");
                if (parts.length == 3 && parts[2].equals(ModelPackage.PROMOTED)) {
                    refresh(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot list promoted models in %s: %s", store.location(), e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        for (AtomicReference<ServedModel> ref : models.values()) {
            ServedModel m = ref.getAndSet(null);
            if (m != null) {
                m.release();
            }
        }
    }

    /**
     * Serves the version {@code PROMOTED} names, if it differs from the served one (a repeated event is a no-op).
     *
     * @return the version served afterwards, or empty when the task has no promoted model
     */
    public synchronized Optional<String> refresh(String task) {
        ModelPackage.requireTask(task);
        try {
            Optional<String> promoted = ModelPackage.promotedVersion(store, task);
            if (promoted.isEmpty()) {
                return Optional.empty();
            }
            String version = promoted.get();
            AtomicReference<ServedModel> ref = models.computeIfAbsent(task, t -> new AtomicReference<>());
            ServedModel current = ref.get();
            if (current != null && current.manifest().version().equals(version)) {
                return promoted;
            }
            long t0 = System.nanoTime();
            Path dir = config.workDir().resolve("models").resolve(task).resolve(version + "-" + UUID.randomUUID());
            ServedModel loaded;
            try {
                ModelPackage.Local local = ModelPackage.download(store, task, version, dir);
                loaded = new ServedModel(ModelPredictor.fromPackage(local, NetworkDevice.fromConfig(config.device())),
                        local.manifest(), dir);
            } catch (IOException | RuntimeException e) {
                ServedModel.deleteTree(dir);
                throw e;
            }
            ServedModel old = ref.getAndSet(loaded);
            failures.remove(task);
            LOG.infof("serving %s %s (%s, folds %s) loaded in %d ms%s", task, version,
                    loaded.manifest().configuration(), loaded.manifest().folds(), (System.nanoTime() - t0) / 1_000_000,
                    old == null ? "" : ", replacing " + old.manifest().version());
            if (old != null) {
                old.release();
            }
            return promoted;
        } catch (IOException | RuntimeException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            failures.put(task, message);
            LOG.errorf("cannot load the promoted model of %s: %s", task, message);
            return Optional.ofNullable(served(task)).map(m -> m.manifest().version());
        }
    }

    /** A hold on the task's current model, or 404 when it has none. */
    public Lease acquire(String task) {
        AtomicReference<ServedModel> ref = models.get(task);
        while (ref != null) {
            ServedModel m = ref.get();
            if (m == null) {
                break;
            }
            if (m.tryAcquire()) {
                return new Lease(m);
            }
            // released by a swap between get and acquire: the reference already holds the new one
        }
        String failure = failures.get(task);
        throw new ApiException(404, "no model is served for task " + task
                + (failure != null ? " (loading the promoted model failed: " + failure + ")"
                : " (none promoted yet: models/" + task + "/PROMOTED does not exist)"));
    }

    private ServedModel served(String task) {
        AtomicReference<ServedModel> ref = models.get(task);
        return ref == null ? null : ref.get();
    }

    public Optional<ModelPackage.Manifest> manifest(String task) {
        return Optional.ofNullable(served(task)).map(ServedModel::manifest);
    }

    public TaskState state(String task) {
        ServedModel m = served(task);
        String failure = failures.get(task);
        if (m != null) {
            return new TaskState(task, "loaded", m.manifest().version(),
                    failure == null ? "loaded at " + m.loadedAt() : "newer promoted model failed to load: " + failure);
        }
        if (failure != null) {
            return new TaskState(task, "failed", null, failure);
        }
        return new TaskState(task, "no-model", null, "no model promoted yet");
    }

    /** States of the configured tasks and of every served one, by task. */
    public Map<String, TaskState> states() {
        Map<String, TaskState> all = new TreeMap<>();
        for (String t : config.readinessTasks()) {
            all.put(t, state(t));
        }
        for (String t : models.keySet()) {
            all.put(t, state(t));
        }
        for (String t : failures.keySet()) {
            all.put(t, state(t));
        }
        return all;
    }

    Path scratchDir() throws IOException {
        return Files.createDirectories(config.workDir().resolve("requests"));
    }
}
