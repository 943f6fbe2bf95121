package org.nnunet.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileSystemObjectStoreTest extends ObjectStoreContractTest {

    private Path root;
    private FileSystemObjectStore store;

    @BeforeEach
    void createStore() throws IOException {
        root = tmp.resolve("store");
        store = new FileSystemObjectStore(root);
    }

    @Override
    ObjectStore store() {
        return store;
    }

    @Test
    @DisplayName("keys map 1:1 to files under the root, laid out like nnU-Net's folders")
    void layoutIsPlainFiles() throws IOException {
        store.putBytes(PLANS, utf8("{}"));
        Path file = root.resolve("nnUNet_preprocessed").resolve("Task004_Hippocampus")
                .resolve("nnUNetPlansv2.1_plans_3D.json");
        assertEquals("{}", Files.readString(file));
        assertEquals(file, store.pathOf(PLANS));

        Files.createDirectories(root.resolve("nnUNet_raw_data/Task004_Hippocampus/imagesTs"));
        Files.writeString(root.resolve("nnUNet_raw_data/Task004_Hippocampus/imagesTs/hippocampus_002_0000.nii.gz"), "x");
        assertEquals(List.of("nnUNet_raw_data/Task004_Hippocampus/imagesTs/hippocampus_002_0000.nii.gz"),
                keys(store.list("nnUNet_raw_data/")));
    }

    @Test
    @DisplayName("failed and successful puts leave no temporary file on disk, and list hides in-flight ones")
    void noTemporaryFilesLeft() throws IOException {
        store.putBytes("a/b.bin", new byte[10]);
        assertThrows(IOException.class, () -> store.put("a/c.bin", failingAfter(MIB), 2L * MIB));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(List.of(root.resolve("a/b.bin")), files.filter(Files::isRegularFile).toList());
        }
        // a temp file of a write in progress (or of a killed process) must not be listed
        Files.writeString(root.resolve("a").resolve(ObjectKeys.TEMP_MARKER + "-123.part"), "partial");
        assertEquals(List.of("a/b.bin"), keys(store.list("")));
    }

    @Test
    @DisplayName("sweepTemporary deletes temp files older than the age anywhere under the root, keeps the rest")
    void sweepRemovesOldTemporaryFiles() throws IOException {
        store.putBytes("a/b.bin", new byte[10]);
        Path killedPut = root.resolve("a").resolve(ObjectKeys.TEMP_MARKER + "-1.part");
        Path killedProbe = root.resolve(ObjectKeys.TEMP_MARKER + "-ready-2.probe");
        Path inFlight = root.resolve("a").resolve(ObjectKeys.TEMP_MARKER + "-3.part");
        Files.write(killedPut, new byte[700]);
        Files.write(killedProbe, new byte[0]);
        Files.write(inFlight, new byte[50]);
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(killedPut, twoHoursAgo);
        Files.setLastModifiedTime(killedProbe, twoHoursAgo);
        Files.setLastModifiedTime(root.resolve("a/b.bin"), twoHoursAgo);

        assertEquals(new SweptLeftovers(2, 700, 0), store.sweepTemporary(TemporaryLeftovers.DEFAULT_MIN_AGE));
        assertEquals(List.of(inFlight, root.resolve("a/b.bin")), regularFiles());

        assertEquals(new SweptLeftovers(1, 50, 0), store.sweepTemporary(Duration.ZERO));
        assertEquals(List.of(root.resolve("a/b.bin")), regularFiles());
        assertEquals(SweptLeftovers.NONE, store.sweepTemporary(Duration.ZERO));
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
