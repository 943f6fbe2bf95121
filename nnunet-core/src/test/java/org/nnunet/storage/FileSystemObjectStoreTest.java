package org.nnunet.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
