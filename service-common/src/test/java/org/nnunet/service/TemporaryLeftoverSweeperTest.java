package org.nnunet.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduled sweep's body on a filesystem store, without booting Quarkus (the timer is tested in a service). */
class TemporaryLeftoverSweeperTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("removes leftovers older than older-than, keeps young ones and objects, counts what it removed")
    void sweepsOldLeftoversAndCounts() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        store.putBytes("a/b.bin", new byte[10]);
        Path old = store.root().resolve("a").resolve(ObjectKeys.TEMP_MARKER + "-old.part");
        Path young = store.root().resolve("a").resolve(ObjectKeys.TEMP_MARKER + "-young.part");
        Files.write(old, new byte[300]);
        Files.write(young, new byte[20]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        MeterRegistry meters = new SimpleMeterRegistry();
        TemporaryLeftoverSweeper sweeper = new TemporaryLeftoverSweeper(store,
                ObjectStoreConfigTest.fromEnvironment(Map.of("NNUNET_STORE_TEMP_SWEEP_OLDER_THAN", "2h")), meters);

        sweeper.sweep();
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young));
        assertTrue(store.exists("a/b.bin"));
        assertEquals(1.0, meters.get("nnunet.store.temp-sweep.objects").counter().count());
        assertEquals(300.0, meters.get("nnunet.store.temp-sweep.bytes").counter().count());
        assertEquals(1.0, meters.get("nnunet.store.temp-sweep.runs").tag("outcome", "ok").counter().count());
    }

    @Test
    @DisplayName("enabled=false leaves the leftovers; an unreachable S3 server counts a failed run instead of throwing")
    void disabledAndFailing() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        Path old = store.root().resolve(ObjectKeys.TEMP_MARKER + "-old.part");
        Files.write(old, new byte[5]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        MeterRegistry meters = new SimpleMeterRegistry();
        new TemporaryLeftoverSweeper(store, ObjectStoreConfigTest.fromEnvironment(
                Map.of("NNUNET_STORE_TEMP_SWEEP_ENABLED", "false")), meters).sweep();
        assertTrue(Files.exists(old));
        assertEquals(0.0, meters.get("nnunet.store.temp-sweep.runs").tag("outcome", "ok").counter().count());

        // nothing listens on port 1: the S3 listing fails at once
        MinioObjectStore down = MinioObjectStore.connect("http://127.0.0.1:1", "ak", "sk", "nnunet");
        new TemporaryLeftoverSweeper(down, ObjectStoreConfigTest.fromEnvironment(Map.of()), meters).sweep();
        assertEquals(1.0, meters.get("nnunet.store.temp-sweep.runs").tag("outcome", "failed").counter().count());
    }
}
