package org.nnunet.planner;

import jakarta.annotation.PreDestroy;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collapses a burst of uploads into one call per task: each {@link #touch} restarts the task's quiet timer, and
 * {@code action} runs (on one background thread, so versions are cut one at a time) once no upload came for the
 * debounce time. Pending timers live in memory: after a restart the next upload of the task re-arms it.
 */
final class UploadDebouncer {

    private static final Logger LOG = Logger.getLogger(UploadDebouncer.class);

    private final Duration quiet;
    private final Consumer<String> action;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nnunet-upload-debounce");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> pending = new HashMap<>();

    UploadDebouncer(Duration quiet, Consumer<String> action) {
        this.quiet = quiet;
        this.action = action;
    }

    synchronized void touch(String task) {
        ScheduledFuture<?> previous = pending.remove(task);
        if (previous != null) {
            previous.cancel(false);
        }
        pending.put(task, timer.schedule(() -> fire(task), quiet.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void fire(String task) {
        synchronized (this) {
            pending.remove(task);
        }
        try {
            action.accept(task);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cutting a dataset version of %s failed: %s", task, e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
