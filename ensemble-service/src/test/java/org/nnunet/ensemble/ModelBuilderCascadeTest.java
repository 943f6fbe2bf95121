package org.nnunet.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.events.FoldTrained;
import org.nnunet.inference.CascadePackage;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.FileSystemObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v1 {@code nnUNet_predict -m 3d_cascade_fullres} needs the 3d_lowres model too: a winning 3d_cascade_fullres is
 * published as a {@link CascadePackage}, the cascade trainer's folds plus the same 3d_lowres folds under
 * {@code lowres/}; without those lowres folds nothing is published. A winning pair ensemble with the cascade as a
 * member carries the lowres folds under that member.
 */
class ModelBuilderCascadeTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("a chosen 3d_cascade_fullres is published with its 3d_lowres folds (lowres/plans.json, lowres/fold_F)")
    void cascadeIsPublishedWithItsLowresFolds() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        VersionLayout version = new VersionLayout("Task902_Cascade", "v2");
        store.putBytes(version.preprocessed() + PlansIO.PLANS_3D, "{\"plans\": \"3d\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Map<Integer, FoldTrained>> folds = folds(version, store, List.of("3d_lowres", "3d_cascade_fullres"));

        ModelPackage.Manifest manifest = new ModelBuilder(store, config()).buildSingle(version, "3d_cascade_fullres",
                folds, tmp.resolve("work"));

        assertEquals("3d_cascade_fullres", manifest.configuration());
        assertEquals(0.8, manifest.metrics().get("mean_dice"), 1e-12, "the cascade's folds' mean");
        String prefix = ModelPackage.prefix(version.task(), version.version());
        assertEquals("3d_cascade_fullres fold 1 model_final_checkpoint.model", text(store,
                prefix + "fold_1/model_final_checkpoint.model"));
        assertEquals("3d_lowres fold 1 model_final_checkpoint.model", text(store,
                prefix + "lowres/fold_1/model_final_checkpoint.model"));
        assertEquals("{\"plans\": \"3d\"}", text(store, prefix + "lowres/plans.json"));
        JsonNode provenance = new ObjectMapper().readTree(store.getBytes(prefix + "provenance.json"));
        assertEquals("nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1", provenance.get("trainer").asText());
        assertEquals(4, provenance.get("fold_checkpoints").size(), "cascade and lowres folds");
        CascadePackage.Local local = CascadePackage.download(store, version.task(), version.version(),
                tmp.resolve("local"));
        assertEquals("3d_lowres", local.lowres().manifest().configuration());
        assertEquals(List.of(0, 1), local.lowres().manifest().folds());
        assertTrue(local.lowres().foldDir(0).resolve("model_final_checkpoint.model.json").toFile().isFile());
    }

    @Test
    @DisplayName("a 3d_cascade_fullres without trained 3d_lowres folds is refused before anything is published")
    void cascadeWithoutLowresIsRefused() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        VersionLayout version = new VersionLayout("Task903_NoLowres", "v1");
        store.putBytes(version.preprocessed() + PlansIO.PLANS_3D, "{}".getBytes(StandardCharsets.UTF_8));
        Map<String, Map<Integer, FoldTrained>> folds = folds(version, store, List.of("3d_cascade_fullres"));
        IOException e = assertThrows(IOException.class, () -> new ModelBuilder(store, config())
                .buildSingle(version, "3d_cascade_fullres", folds, tmp.resolve("work")));
        assertTrue(e.getMessage().contains("3d_lowres folds [0, 1]"), e.getMessage());
        assertFalse(store.exists(ModelPackage.prefix(version.task(), version.version()) + "provenance.json"));
        assertTrue(ModelPackage.versions(store, version.task()).isEmpty());
    }

    @Test
    @DisplayName("a winning pair with 3d_cascade_fullres carries that member's 3d_lowres folds "
            + "(members/3d_cascade_fullres/lowres/fold_F)")
    void ensembleWithCascadeMemberCarriesItsLowresFolds() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        VersionLayout version = new VersionLayout("Task904_CascadePair", "v1");
        store.putBytes(version.preprocessed() + PlansIO.PLANS_3D, "{\"plans\": \"3d\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Map<Integer, FoldTrained>> folds = folds(version, store,
                List.of("3d_fullres", "3d_lowres", "3d_cascade_fullres"));
        String name = ModelSelection.ensembleName("3d_fullres", "3d_cascade_fullres");
        Map<String, Double> scores = new LinkedHashMap<>(Map.of("3d_fullres", 0.8, "3d_lowres", 0.7,
                "3d_cascade_fullres", 0.8, name, 0.85));
        ModelSelection.Result result = new ModelSelection.Result(scores, Map.of(name, Map.of(1, 0.85)), name, "",
                List.of());

        ModelPackage.Manifest manifest = new ModelBuilder(store, config()).buildEnsemble(version,
                new ModelBuilder.Selection(result, tmp.resolve("ensembles")), folds, tmp.resolve("work"));

        assertEquals(name, manifest.configuration());
        String member = ModelPackage.prefix(version.task(), version.version()) + "members/3d_cascade_fullres/";
        assertEquals("3d_lowres fold 0 model_final_checkpoint.model.json",
                text(store, member + "lowres/fold_0/model_final_checkpoint.model.json"));
        assertEquals("3d_cascade_fullres fold 0 model_final_checkpoint.model.json",
                text(store, member + "fold_0/model_final_checkpoint.model.json"));
        EnsemblePackage.Local local = EnsemblePackage.download(store, version.task(), version.version(),
                tmp.resolve("local"));
        ModelPackage.Local lowres = local.cascadeLowres().orElseThrow();
        assertEquals("3d_lowres", lowres.manifest().configuration());
        assertEquals("{\"plans\": \"3d\"}", Files.readString(lowres.plansFile()), "the cascade's 3D plans");
        assertTrue(Files.isRegularFile(lowres.foldDir(1).resolve("model_final_checkpoint.model")));
    }

    /** Folds 0 and 1 of each configuration with placeholder checkpoint files; 3d_lowres scores 0.7, others 0.8. */
    private static Map<String, Map<Integer, FoldTrained>> folds(VersionLayout version, FileSystemObjectStore store,
                                                                List<String> configurations) throws IOException {
        Map<String, Map<Integer, FoldTrained>> folds = new LinkedHashMap<>();
        for (String configuration : configurations) {
            Map<Integer, FoldTrained> byFold = new TreeMap<>();
            for (int fold : List.of(0, 1)) {
                for (String file : ModelPackage.CHECKPOINT_FILES) {
                    store.putBytes(version.fold(configuration, fold) + file,
                            (configuration + " fold " + fold + " " + file).getBytes(StandardCharsets.UTF_8));
                }
                byFold.put(fold, new FoldTrained(version.task(), version.version(), "corr", configuration, fold,
                        Map.of("mean_dice", configuration.equals("3d_lowres") ? 0.7 : 0.8),
                        version.fold(configuration, fold) + "model_final_checkpoint.model"));
            }
            folds.put(configuration, byFold);
        }
        return folds;
    }

    private static String text(FileSystemObjectStore store, String key) throws IOException {
        return new String(store.getBytes(key), StandardCharsets.UTF_8);
    }

    private static EnsembleConfig config() {
        return new EnsembleConfig() {
            public boolean promoteOnlyIfBetter() { return true; }
            public double minImprovement() { return 0; }
            public boolean postprocessing() { return false; }
        };
    }
}
