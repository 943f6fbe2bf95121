package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.ObjectNotFoundException;

class ModelPackageTest {

    @TempDir
    Path tmp;

    private Map<Integer, Path> folds(int... folds) throws IOException {
        Map<Integer, Path> dirs = new java.util.HashMap<>();
        for (int f : folds) {
            Path d = tmp.resolve("train/fold_" + f);
            Files.createDirectories(d);
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                Files.writeString(d.resolve(name), name + " of fold " + f);
            }
            dirs.put(f, d);
        }
        return dirs;
    }

    @Test
    @DisplayName("layout models/TASK/vN/{model.json, plans.json, postprocessing.json, fold_F/model_final_checkpoint.*},"
            + " PROMOTED names the served version, download restores the layout")
    void writePromoteDownload() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        Path plans = Files.writeString(tmp.resolve("plans.json"), "{\"plans\": 1}");
        Path post = Files.writeString(tmp.resolve("postprocessing.json"), "{\"for_which_classes\": []}");
        String task = "Task042_Tiny";
        assertEquals("v1", ModelPackage.nextVersion(store, task));
        assertEquals(Optional.empty(), ModelPackage.promotedVersion(store, task));

        ModelPackage.Manifest m = new ModelPackage.Manifest(task, "v1", "3d_fullres", List.of(0, 1),
                Map.of("mean_dice", 0.75), "d1", "2026-11-27T12:00:00Z");
        String prefix = ModelPackage.write(store, m, plans, post, folds(0, 1));
        assertEquals("models/Task042_Tiny/v1/", prefix);
        assertTrue(store.exists("models/Task042_Tiny/v1/fold_1/model_final_checkpoint.model.optimizer"));
        assertTrue(store.exists("models/Task042_Tiny/v1/postprocessing.json"));
        assertThrows(IllegalStateException.class, () -> ModelPackage.write(store, m, plans, post, folds(0, 1)),
                "a version is immutable");

        ModelPackage.promote(store, task, "v1");
        assertEquals("v1", new String(store.getBytes("models/Task042_Tiny/PROMOTED"), StandardCharsets.UTF_8));
        assertEquals(Optional.of("v1"), ModelPackage.promotedVersion(store, task));
        assertEquals("v2", ModelPackage.nextVersion(store, task));
        assertEquals(List.of("v1"), ModelPackage.versions(store, task));

        ModelPackage.Local local = ModelPackage.download(store, task, "v1", tmp.resolve("local"));
        assertEquals(m, local.manifest());
        assertEquals("{\"plans\": 1}", Files.readString(local.plansFile()));
        assertTrue(local.postprocessingFile().isPresent());
        assertArrayEquals("model_final_checkpoint.model of fold 1".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(local.foldDir(1).resolve("model_final_checkpoint.model")));
    }

    @Test
    @DisplayName("no postprocessing.json is allowed; folds must match the manifest; unknown versions and bad names refused")
    void rules() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        Path plans = Files.writeString(tmp.resolve("plans.json"), "{}");
        ModelPackage.Manifest m = new ModelPackage.Manifest("Task042_Tiny", "v3", "2d", List.of(0), null, "d", "t");
        assertThrows(IllegalArgumentException.class, () -> ModelPackage.write(store, m, plans, null, folds(0, 1)));
        ModelPackage.write(store, m, plans, null, folds(0));
        assertFalse(ModelPackage.download(store, "Task042_Tiny", "v3", tmp.resolve("l")).postprocessingFile()
                .isPresent());
        assertEquals("v4", ModelPackage.nextVersion(store, "Task042_Tiny"));
        assertThrows(ObjectNotFoundException.class, () -> ModelPackage.promote(store, "Task042_Tiny", "v2"));
        assertThrows(IllegalArgumentException.class, () -> ModelPackage.prefix("../etc", "v1"));
        assertThrows(IllegalArgumentException.class, () -> ModelPackage.prefix("Task001_A/../B", "v1"));
        assertThrows(IllegalArgumentException.class, () -> ModelPackage.prefix("Task001_A", "v0"));
        assertThrows(IllegalArgumentException.class, () -> ModelPackage.prefix("Task001_A", "latest"));
    }
}
