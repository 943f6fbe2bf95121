package org.nnunet.storage;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link ObjectStore} must have; each implementation's test extends this class and supplies a
 * fresh, empty store per test through {@link #store()}.
 */
abstract class ObjectStoreContractTest {

    static final int MIB = 1024 * 1024;
    static final String PLANS = "nnUNet_preprocessed/Task004_Hippocampus/nnUNetPlansv2.1_plans_3D.json";

    @TempDir
    Path tmp;

    /** A fresh, empty store for the current test. */
    abstract ObjectStore store();

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Yields {@code goodBytes} random bytes, then fails like a broken network or disk. */
    static InputStream failingAfter(int goodBytes) {
        return new InputStream() {
            private final byte[] data = randomBytes(goodBytes, 7);
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos >= data.length) {
                    throw new IOException("simulated failure after " + goodBytes + " bytes");
                }
                return data[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= data.length) {
                    throw new IOException("simulated failure after " + goodBytes + " bytes");
                }
                int n = Math.min(len, data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Hides the length from {@code available()} and returns small chunks, like a network stream. */
    static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 64 * 1024), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    @DisplayName("put then get returns the same bytes; stat gives size and a recent lastModified")
    void putGetStat() throws IOException {
        ObjectStore store = store();
        Instant before = Instant.now().minus(Duration.ofMinutes(2));
        store.putBytes(PLANS, utf8("{\"num_stages\": 1}"));

        assertEquals("{\"num_stages\": 1}", new String(store.getBytes(PLANS), StandardCharsets.UTF_8));
        ObjectInfo info = store.stat(PLANS).orElseThrow();
        assertEquals(PLANS, info.key());
        assertEquals(17, info.size());
        assertTrue(info.lastModified().isAfter(before), "lastModified " + info.lastModified());
        assertTrue(info.lastModified().isBefore(Instant.now().plus(Duration.ofMinutes(2))));
        assertTrue(store.exists(PLANS));
    }

    @Test
    @DisplayName("missing key: exists false, stat empty, get throws ObjectNotFoundException naming the key")
    void missingKey() throws IOException {
        ObjectStore store = store();
        assertFalse(store.exists("nnUNet_raw_data/Task004_Hippocampus/dataset.json"));
        assertTrue(store.stat("nnUNet_raw_data/Task004_Hippocampus/dataset.json").isEmpty());
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class,
                () -> store.get("nnUNet_raw_data/Task004_Hippocampus/dataset.json"));
        assertTrue(e.getMessage().contains("nnUNet_raw_data/Task004_Hippocampus/dataset.json"), e.getMessage());
    }

    @Test
    @DisplayName("a second put replaces the content")
    void overwrite() throws IOException {
        ObjectStore store = store();
        store.putBytes("a/b.txt", utf8("first version, longer"));
        store.putBytes("a/b.txt", utf8("second"));
        assertEquals("second", new String(store.getBytes("a/b.txt"), StandardCharsets.UTF_8));
        assertEquals(6, store.stat("a/b.txt").orElseThrow().size());
        assertEquals(List.of("a/b.txt"), keys(store.list("")));
    }

    @Test
    @DisplayName("12 MiB put with known length (multipart on S3) round-trips byte for byte")
    void multipartKnownLength() throws IOException {
        ObjectStore store = store();
        byte[] data = randomBytes(12 * MIB, 42);
        store.put("nnUNet_trained_models/fold_0/model_final_checkpoint.model", new ByteArrayInputStream(data),
                data.length);
        assertEquals(12L * MIB,
                store.stat("nnUNet_trained_models/fold_0/model_final_checkpoint.model").orElseThrow().size());
        assertArrayEquals(data, store.getBytes("nnUNet_trained_models/fold_0/model_final_checkpoint.model"));
    }

    @Test
    @DisplayName("put with unknown length (7 MiB, more than one S3 part) round-trips")
    void unknownLength() throws IOException {
        ObjectStore store = store();
        byte[] data = randomBytes(7 * MIB + 123, 3);
        store.put("predictions/hippocampus_017.nii.gz", trickle(data), ObjectStore.UNKNOWN_LENGTH);
        assertEquals(data.length, store.stat("predictions/hippocampus_017.nii.gz").orElseThrow().size());
        assertArrayEquals(data, store.getBytes("predictions/hippocampus_017.nii.gz"));

        store.put("small.json", trickle(utf8("{}")), ObjectStore.UNKNOWN_LENGTH);
        assertEquals("{}", new String(store.getBytes("small.json"), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a stream failing mid-way (after 6 of 12 MiB) leaves no visible object and keeps the old content")
    void failingPutKeepsPreviousContent() throws IOException {
        ObjectStore store = store();
        store.putBytes(PLANS, utf8("old plans"));

        assertThrows(IOException.class, () -> store.put(PLANS, failingAfter(6 * MIB), 12L * MIB));
        assertThrows(IOException.class, () -> store.put("checkpoints/new.model", failingAfter(MIB), 3L * MIB));
        assertThrows(IOException.class,
                () -> store.put("checkpoints/unknown.model", failingAfter(6 * MIB), ObjectStore.UNKNOWN_LENGTH));

        assertEquals("old plans", new String(store.getBytes(PLANS), StandardCharsets.UTF_8));
        assertFalse(store.exists("checkpoints/new.model"));
        assertFalse(store.exists("checkpoints/unknown.model"));
        assertEquals(List.of(PLANS), keys(store.list("")));
    }

    @Test
    @DisplayName("a stream shorter than the announced length fails and stores nothing")
    void shortStreamRejected() throws IOException {
        ObjectStore store = store();
        assertThrows(IOException.class,
                () -> store.put("short.bin", new ByteArrayInputStream(randomBytes(1000, 1)), 2000));
        assertFalse(store.exists("short.bin"));
        assertEquals(List.of(), store.list(""));
    }

    @Test
    @DisplayName("put(Path) uploads a local file")
    void putFile() throws IOException {
        ObjectStore store = store();
        byte[] data = randomBytes(300_000, 5);
        Path file = Files.write(tmp.resolve("hippocampus_001_0000.nii.gz"), data);
        store.put("nnUNet_raw_data/Task004_Hippocampus/imagesTr/hippocampus_001_0000.nii.gz", file);
        assertArrayEquals(data,
                store.getBytes("nnUNet_raw_data/Task004_Hippocampus/imagesTr/hippocampus_001_0000.nii.gz"));
    }

    @Test
    @DisplayName("list is recursive, sorted, and matches plain string prefixes")
    void listByPrefix() throws IOException {
        ObjectStore store = store();
        for (String key : List.of("Task004/imagesTr/b.nii.gz", "Task004/imagesTr/a.nii.gz", "Task004/labelsTr/a.nii.gz",
                "Task004/dataset.json", "Task004b/dataset.json", "Task005/dataset.json", "top.txt")) {
            store.putBytes(key, utf8(key));
        }
        assertEquals(List.of("Task004/dataset.json", "Task004/imagesTr/a.nii.gz", "Task004/imagesTr/b.nii.gz",
                "Task004/labelsTr/a.nii.gz"), keys(store.list("Task004/")));
        assertEquals(List.of("Task004/imagesTr/a.nii.gz", "Task004/imagesTr/b.nii.gz"),
                keys(store.list("Task004/imagesTr/")));
        assertEquals(List.of("Task004/imagesTr/a.nii.gz", "Task004/imagesTr/b.nii.gz"),
                keys(store.list("Task004/images")));
        assertEquals(List.of("Task004/dataset.json", "Task004/imagesTr/a.nii.gz", "Task004/imagesTr/b.nii.gz",
                "Task004/labelsTr/a.nii.gz", "Task004b/dataset.json"), keys(store.list("Task004")));
        assertEquals(7, store.list("").size());
        assertEquals(List.of(), store.list("Task999/"));
        ObjectInfo info = store.list("Task004/labelsTr/").get(0);
        assertEquals("Task004/labelsTr/a.nii.gz".length(), info.size());
    }

    @Test
    @DisplayName("delete removes the object; deleting a missing key is not an error")
    void delete() throws IOException {
        ObjectStore store = store();
        store.putBytes("x/y.bin", new byte[]{1, 2, 3});
        store.delete("x/y.bin");
        assertFalse(store.exists("x/y.bin"));
        store.delete("x/y.bin");
        assertEquals(List.of(), store.list("x/"));
    }

    @Test
    @DisplayName("copy duplicates content, replaces the target, and fails clearly for a missing source")
    void copy() throws IOException {
        ObjectStore store = store();
        store.putBytes("models/v1/plans.json", utf8("v1"));
        store.putBytes("models/latest/plans.json", utf8("old"));
        store.copy("models/v1/plans.json", "models/latest/plans.json");
        assertEquals("v1", new String(store.getBytes("models/latest/plans.json"), StandardCharsets.UTF_8));
        assertEquals("v1", new String(store.getBytes("models/v1/plans.json"), StandardCharsets.UTF_8));
        ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class,
                () -> store.copy("models/v9/plans.json", "models/latest/plans.json"));
        assertTrue(e.getMessage().contains("models/v9/plans.json"), e.getMessage());
    }

    @ParameterizedTest(name = "key \"{0}\" is rejected")
    @ValueSource(strings = {"../escape.txt", "a/../../escape.txt", "a/..", "/etc/passwd", "a\\b.txt", "a//b",
            "a/", "", "./a", "a/./b", "C:/x", ".nnunet-tmp/abc", "a/.nnunet-tmp-123.part"})
    void invalidKeysRejected(String key) {
        ObjectStore store = store();
        InvalidObjectKeyException e = assertThrows(InvalidObjectKeyException.class,
                () -> store.putBytes(key, new byte[]{1}));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertThrows(InvalidObjectKeyException.class, () -> store.get(key));
        assertThrows(InvalidObjectKeyException.class, () -> store.stat(key));
        assertThrows(InvalidObjectKeyException.class, () -> store.delete(key));
        assertThrows(InvalidObjectKeyException.class, () -> store.copy(key, "ok.txt"));
    }

    @Test
    @DisplayName("path-traversal prefixes are rejected by list")
    void invalidPrefixRejected() {
        ObjectStore store = store();
        assertThrows(InvalidObjectKeyException.class, () -> store.list("../"));
        assertThrows(InvalidObjectKeyException.class, () -> store.list("/"));
        assertThrows(InvalidObjectKeyException.class, () -> store.list("a//"));
    }

    static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }
}
