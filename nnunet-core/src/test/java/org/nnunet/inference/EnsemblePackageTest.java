package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.storage.FileSystemObjectStore;

class EnsemblePackageTest {

    @TempDir
    Path tmp;

    private Map<Integer, Path> folds(String configuration, int... folds) throws IOException {
        Map<Integer, Path> dirs = new java.util.TreeMap<>();
        for (int f : folds) {
            Path d = Files.createDirectories(tmp.resolve(configuration + "/fold_" + f));
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                Files.writeString(d.resolve(name), name + " of " + configuration + " fold " + f);
            }
            dirs.put(f, d);
        }
        return dirs;
    }

    @Test
    @DisplayName("v1 find_best_configuration's ensemble name (ModelSelection.ensembleName) gives the member"
            + " configurations in order")
    void membersOfTheV1EnsembleName() {
        assertEquals(List.of("2d", "3d_fullres"), EnsemblePackage.members(ModelSelection.ensembleName("2d", "3d_fullres")));
        assertEquals(List.of("3d_fullres", "3d_cascade_fullres"),
                EnsemblePackage.members(ModelSelection.ensembleName("3d_fullres", "3d_cascade_fullres")));
        assertThrows(IllegalArgumentException.class, () -> EnsemblePackage.members("3d_fullres"));
    }

    @Test
    @DisplayName("layout models/TASK/vN/{model.json, postprocessing.json, members/CONFIG/{plans.json, fold_F/...}};"
            + " promotion is ModelPackage's; download gives one local package per member")
    void writePromoteDownload() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        String name = ModelSelection.ensembleName("2d", "3d_fullres");
        ModelPackage.Manifest m = new ModelPackage.Manifest("Task042_Tiny", "v2", name, List.of(0, 1),
                Map.of("mean_dice", 0.8), "v2", "2026-11-27T12:00:00Z");
        assertTrue(EnsemblePackage.isEnsemble(m));
        Path plans2d = Files.writeString(tmp.resolve("plans2d.json"), "{\"2d\": 1}");
        Path plans3d = Files.writeString(tmp.resolve("plans3d.json"), "{\"3d\": 1}");
        Path post = Files.writeString(tmp.resolve("postprocessing.json"), "{\"for_which_classes\": []}");
        Map<String, Path> plans = Map.of("2d", plans2d, "3d_fullres", plans3d);
        assertThrows(IllegalArgumentException.class, () -> EnsemblePackage.write(store, m, plans,
                Map.of("2d", folds("2d", 0, 1), "3d_fullres", folds("3d_fullres", 0)), post), "folds must match");
        assertFalse(store.exists("models/Task042_Tiny/v2/model.json"));

        EnsemblePackage.write(store, m, plans,
                Map.of("2d", folds("2d", 0, 1), "3d_fullres", folds("3d_fullres", 0, 1)), post);
        assertTrue(store.exists("models/Task042_Tiny/v2/members/3d_fullres/fold_1/model_final_checkpoint.model"));
        assertTrue(store.exists("models/Task042_Tiny/v2/members/2d/plans.json"));
        assertEquals(List.of("v2"), ModelPackage.versions(store, "Task042_Tiny"));
        ModelPackage.promote(store, "Task042_Tiny", "v2");
        assertEquals(Optional.of("v2"), ModelPackage.promotedVersion(store, "Task042_Tiny"));

        EnsemblePackage.Local local = EnsemblePackage.download(store, "Task042_Tiny", "v2", tmp.resolve("local"));
        assertEquals(m, local.manifest());
        assertTrue(local.postprocessingFile().isPresent());
        assertEquals(List.of("2d", "3d_fullres"), List.copyOf(local.members().keySet()));
        ModelPackage.Local member = local.members().get("3d_fullres");
        assertEquals("3d_fullres", member.manifest().configuration());
        assertEquals(List.of(0, 1), member.manifest().folds());
        assertEquals("{\"3d\": 1}", Files.readString(member.plansFile()));
        assertEquals("model_final_checkpoint.model of 3d_fullres fold 1",
                Files.readString(member.foldDir(1).resolve("model_final_checkpoint.model")));
    }
}
