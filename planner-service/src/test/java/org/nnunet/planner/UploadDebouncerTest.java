package org.nnunet.planner;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.ObjectStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner's debounce of a burst of uploads, and its pending timers surviving a restart of the service. */
class UploadDebouncerTest {

    private static final Duration QUIET = Duration.ofMillis(600);

    @TempDir
    Path root;

    @Test
    @DisplayName("a burst of touches is one action after the quiet time; the marker is gone afterwards")
    void burstIsOneActionAndTheMarkerIsDeleted() throws Exception {
        ObjectStore store = new FileSystemObjectStore(root);
        List<String> fired = new CopyOnWriteArrayList<>();
        UploadDebouncer debouncer = new UploadDebouncer(store, QUIET, fired::add);
        try {
            for (int i = 0; i < 5; i++) {
                debouncer.touch("Task901_Burst");
                Thread.sleep(100);
            }
            assertTrue(store.exists(VersionLayout.pendingUpload("Task901_Burst")), "pending while uploads come");
            assertTrue(fired.isEmpty(), "nothing fires before the quiet time");
            awaitSize(fired, 1);
            Thread.sleep(QUIET.toMillis());
            assertEquals(List.of("Task901_Burst"), fired);
            awaitGone(store, VersionLayout.pendingUpload("Task901_Burst"));
        } finally {
            debouncer.close();
        }
    }

    @Test
    @DisplayName("a restart within the quiet time re-arms the pending upload from the store; one already cut does"
            + " not fire again")
    void pendingUploadSurvivesARestart() throws Exception {
        ObjectStore store = new FileSystemObjectStore(root);
        List<String> beforeCrash = new CopyOnWriteArrayList<>();
        UploadDebouncer first = new UploadDebouncer(store, QUIET, beforeCrash::add);
        first.touch("Task902_Cut");
        awaitSize(beforeCrash, 1);
        awaitGone(store, VersionLayout.pendingUpload("Task902_Cut"));
        first.touch("Task903_Pending");
        first.close(); // the replica dies within the quiet period: its timer is lost
        Thread.sleep(QUIET.toMillis() + 200);
        assertEquals(List.of("Task902_Cut"), beforeCrash, "the lost timer never fired");

        List<String> afterRestart = new CopyOnWriteArrayList<>();
        UploadDebouncer second = new UploadDebouncer(store, QUIET, afterRestart::add);
        try {
            assertEquals(List.of("Task903_Pending"), second.rearm(), "only the task still pending is re-armed");
            awaitSize(afterRestart, 1);
            assertEquals(List.of("Task903_Pending"), afterRestart);
            awaitGone(store, VersionLayout.pendingUpload("Task903_Pending"));
        } finally {
            second.close();
        }
    }

    @Test
    @DisplayName("a re-armed upload waits only for the rest of its stored quiet time")
    void rearmedTimerWaitsForTheRestOfTheQuietTime() throws Exception {
        ObjectStore store = new FileSystemObjectStore(root);
        Duration longQuiet = Duration.ofSeconds(4);
        UploadDebouncer first = new UploadDebouncer(store, longQuiet, t -> { });
        first.touch("Task904_Wait");
        first.close();
        Thread.sleep(2000); // the replica is down for half the quiet time
        List<String> fired = new CopyOnWriteArrayList<>();
        UploadDebouncer second = new UploadDebouncer(store, longQuiet, fired::add);
        try {
            long t0 = System.nanoTime();
            assertEquals(List.of("Task904_Wait"), second.rearm());
            Thread.sleep(1000);
            assertTrue(fired.isEmpty(), "fired before the stored quiet time ended");
            awaitSize(fired, 1);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited < 3500, "waited " + waited + " ms: the rest (~2 s), not a new quiet period (4 s)");
        } finally {
            second.close();
        }
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(size, list.size(), "actions run: " + list);
    }

    private static void awaitGone(ObjectStore store, String key) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.exists(key) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(store.exists(key), key + " deleted after the action");
    }
}
