package org.nnunet.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.events.FoldTrained;
import org.nnunet.inference.EnsemblePackage;
import org.nnunet.inference.ModelPackage;
import org.nnunet.modelselection.ModelSelection;
import org.nnunet.planning.PlansIO;
import org.nnunet.service.VersionLayout;
import org.nnunet.storage.FileSystemObjectStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * v1 find_best_configuration chose the pair ensemble: the model published is an {@link EnsemblePackage} with both
 * configurations' fold checkpoints and plans, the ensemble's postprocessing, and its cross-validation score as
 * {@code mean_dice}. (Which entry wins is {@link ModelSelection}'s rule, tested in nnunet-core.)
 */
class ModelBuilderEnsembleTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("a winning pair ensemble is published as EnsemblePackage: members/CONFIG/{plans.json, fold_F/...},"
            + " the ensemble's postprocessing.json, mean_dice = its cross-validation score")
    void winningPairIsPublishedAsEnsemblePackage() throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("store"));
        VersionLayout version = new VersionLayout("Task901_Pair", "v3");
        store.putBytes(version.preprocessed() + PlansIO.PLANS_2D, "{\"plans\": \"2d\"}".getBytes(StandardCharsets.UTF_8));
        store.putBytes(version.preprocessed() + PlansIO.PLANS_3D, "{\"plans\": \"3d\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Map<Integer, FoldTrained>> folds = new LinkedHashMap<>();
        for (String configuration : List.of("2d", "3d_fullres")) {
            Map<Integer, FoldTrained> byFold = new TreeMap<>();
            for (int fold : List.of(0, 1)) {
                for (String file : ModelPackage.CHECKPOINT_FILES) {
                    store.putBytes(version.fold(configuration, fold) + file,
                            (configuration + " fold " + fold + " " + file).getBytes(StandardCharsets.UTF_8));
                }
                byFold.put(fold, new FoldTrained(version.task(), version.version(), "corr", configuration, fold,
                        Map.of("mean_dice", 0.5), version.fold(configuration, fold) + "model_final_checkpoint.model"));
            }
            folds.put(configuration, byFold);
        }
        String name = ModelSelection.ensembleName("2d", "3d_fullres");
        Path ensembles = Files.createDirectories(tmp.resolve("ensembles").resolve(name));
        Files.writeString(ensembles.resolve("postprocessing.json"), "{\"for_which_classes\": [1]}");
        Map<String, Double> scores = new LinkedHashMap<>(Map.of("2d", 0.61, "3d_fullres", 0.70, name, 0.74));
        ModelSelection.Result result = new ModelSelection.Result(scores,
                Map.of("2d", Map.of(1, 0.61), "3d_fullres", Map.of(1, 0.70), name, Map.of(1, 0.74)), name, "", List.of());

        ModelPackage.Manifest manifest = new ModelBuilder(store, config()).buildEnsemble(version,
                new ModelBuilder.Selection(result, tmp.resolve("ensembles")), folds, tmp.resolve("work"));

        assertEquals(name, manifest.configuration());
        assertEquals(List.of(0, 1), manifest.folds());
        assertEquals(0.74, manifest.metrics().get("mean_dice"), 1e-12);
        assertEquals(0.74, manifest.metrics().get("dice_class_1"), 1e-12);
        assertEquals(manifest, ModelPackage.readManifest(store, version.task(), version.version()));
        String prefix = ModelPackage.prefix(version.task(), version.version());
        assertEquals("{\"plans\": \"2d\"}", new String(store.getBytes(prefix + "members/2d/plans.json"),
                StandardCharsets.UTF_8));
        assertEquals("3d_fullres fold 1 model_final_checkpoint.model", new String(store.getBytes(
                prefix + "members/3d_fullres/fold_1/model_final_checkpoint.model"), StandardCharsets.UTF_8));
        assertEquals("{\"for_which_classes\": [1]}", new String(store.getBytes(prefix + "postprocessing.json"),
                StandardCharsets.UTF_8));
        JsonNode provenance = new ObjectMapper().readTree(store.getBytes(prefix + "provenance.json"));
        assertEquals(name, provenance.get("configuration").asText());
        assertEquals(4, provenance.get("fold_checkpoints").size(), "both members' folds");
        JsonNode metrics = new ObjectMapper().readTree(store.getBytes(prefix + "metrics.json"));
        assertTrue(metrics.get("folds").has("3d_fullres/fold_1"), metrics.toString());
        EnsemblePackage.Local local = EnsemblePackage.download(store, version.task(), version.version(),
                tmp.resolve("local"));
        assertEquals(List.of("2d", "3d_fullres"), List.copyOf(local.members().keySet()));
    }

    private static EnsembleConfig config() {
        return new EnsembleConfig() {
            public boolean promoteOnlyIfBetter() { return true; }
            public double minImprovement() { return 0; }
            public boolean postprocessing() { return true; }
        };
    }
}
