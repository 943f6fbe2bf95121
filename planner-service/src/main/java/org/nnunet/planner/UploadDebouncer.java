package org.nnunet.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collapses a burst of uploads into one call per task: each {@link #touch} restarts the task's quiet timer, and
 * {@code action} runs (on one background thread, so versions are cut one at a time) once no upload came for the
 * debounce time.
 *
 * <p>A pending timer survives a restart: each touch records when the quiet period ends in
 * {@link VersionLayout#pendingUpload} (outside the raw prefix, so MinIO announces no such write), the marker is
 * deleted after the action ran, and {@link #rearm} schedules every marker found at start for its remaining time.
 * A crash during the action leaves the marker, so the action runs again after the restart: cutting a version is
 * idempotent (an unchanged raw listing cuts nothing).
 */
final class UploadDebouncer {

    /** {@code versions/TASK/upload-pending.json}; {@code quietUntil} is an ISO-8601 instant. */
    record Pending(String task, String quietUntil) {
    }

    private static final Logger LOG = Logger.getLogger(UploadDebouncer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final Duration quiet;
    private final Consumer<String> action;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nnunet-upload-debounce");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> pending = new HashMap<>();

    UploadDebouncer(ObjectStore store, Duration quiet, Consumer<String> action) {
        this.store = store;
        this.quiet = quiet;
        this.action = action;
    }

    /** An upload of {@code task} arrived: the quiet period starts again. */
    synchronized void touch(String task) {
        Instant until = Instant.now().plus(quiet);
        try {
            store.putBytes(VersionLayout.pendingUpload(task), JSON.writeValueAsBytes(new Pending(task, until.toString())));
        } catch (IOException e) {
            LOG.warnf("cannot record the pending upload of %s in %s (a restart before %s loses it): %s", task,
                    store.location(), until, e.getMessage());
        }
        schedule(task, quiet.toMillis());
    }

    /**
     * Arms a timer for every pending-upload marker in the store (after a restart): due now if its quiet period is
     * over, else when it ends. Lists {@code versions/} once.
     *
     * @return the tasks re-armed
     */
    synchronized List<String> rearm() throws IOException {
        List<String> tasks = new ArrayList<>();
        for (ObjectInfo o : store.list(VersionLayout.VERSIONS)) {
            String rest = o.key().substring(VersionLayout.VERSIONS.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || !o.key().equals(VersionLayout.pendingUpload(rest.substring(0, slash)))) {
                continue;
            }
            Pending p = JSON.readValue(store.getBytes(o.key()), Pending.class);
            long delay = Math.max(0, Duration.between(Instant.now(), Instant.parse(p.quietUntil())).toMillis());
            if (!pending.containsKey(p.task())) {
                schedule(p.task(), delay);
                tasks.add(p.task());
                LOG.infof("re-armed the pending upload of %s: version cut in %d ms", p.task(), delay);
            }
        }
        return tasks;
    }

    private void schedule(String task, long delayMillis) {
        ScheduledFuture<?> previous = pending.remove(task);
        if (previous != null) {
            previous.cancel(false);
        }
        pending.put(task, timer.schedule(() -> fire(task), delayMillis, TimeUnit.MILLISECONDS));
    }

    private void fire(String task) {
        synchronized (this) {
            ScheduledFuture<?> current = pending.get(task);
            if (current != null && current.getDelay(TimeUnit.MILLISECONDS) > 0) {
                return; // touched just as this timer started: the newer timer runs the action
            }
            pending.remove(task);
        }
        try {
            action.accept(task);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cutting a dataset version of %s failed: %s", task, e.getMessage());
        }
        synchronized (this) {
            if (pending.containsKey(task)) {
                return; // touched again while the action ran: its marker belongs to the new timer
            }
            try {
                store.delete(VersionLayout.pendingUpload(task));
            } catch (IOException e) {
                LOG.warnf("cannot delete the pending-upload marker of %s (a restart repeats the no-op cut): %s",
                        task, e.getMessage());
            }
        }
    }

    void close() {
        timer.shutdownNow();
    }
}
