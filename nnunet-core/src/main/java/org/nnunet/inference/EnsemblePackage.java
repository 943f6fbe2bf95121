package org.nnunet.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nnunet.storage.ObjectStore;

/**
 * A published model that is an ensemble of two configurations, v1 {@code nnUNet_find_best_configuration}'s
 * {@code ensemble_M1__TR__PL--M2__TR__PL} winner: a {@link ModelPackage} whose manifest names the ensemble as its
 * configuration and whose members are complete single-configuration packages below it:
 * <pre>
 * models/TASK/vN/model.json                         configuration = the v1 ensemble name; written last
 * models/TASK/vN/postprocessing.json                determined on the ensembled cross-validation (optional)
 * models/TASK/vN/members/CONFIG/plans.json          the member's plans
 * models/TASK/vN/members/CONFIG/fold_F/model_final_checkpoint.model(.json, .optimizer)
 * models/TASK/vN/members/3d_cascade_fullres/lowres/fold_F/...   a cascade member's 3d_lowres folds (its input)
 * </pre>
 * Promotion and version listing are {@link ModelPackage}'s.
 */
public final class EnsemblePackage {

    public static final String MEMBERS = "members/";
    private static final String PREFIX = "ensemble_";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A downloaded ensemble: its manifest, folder, and one local package per member configuration. */
    public record Local(ModelPackage.Manifest manifest, Path dir, Map<String, ModelPackage.Local> members) {
        public Optional<Path> postprocessingFile() {
            Path p = dir.resolve(ModelPackage.POSTPROCESSING);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }

        /** The 3d_lowres folds of a 3d_cascade_fullres member (same plans), if the ensemble has one. */
        public Optional<ModelPackage.Local> cascadeLowres() {
            ModelPackage.Local cascade = members.get(ModelPredictor.CASCADE);
            if (cascade == null) {
                return Optional.empty();
            }
            ModelPackage.Manifest m = cascade.manifest();
            Path lowres = cascade.dir().resolve(CascadePackage.LOWRES);
            return Optional.of(new ModelPackage.Local(new ModelPackage.Manifest(m.task(), m.version(),
                    CascadePackage.LOWRES_CONFIGURATION, m.folds(), Map.of(), m.datasetVersion(), m.createdAt()),
                    lowres));
        }
    }

    private EnsemblePackage() {
    }

    public static boolean isEnsemble(ModelPackage.Manifest manifest) {
        return manifest.configuration().startsWith(PREFIX);
    }

    /** The member configurations of a v1 ensemble name, in its order ({@code ensemble_2d__..--3d_fullres__..}). */
    public static List<String> members(String ensembleName) {
        if (!ensembleName.startsWith(PREFIX) || !ensembleName.contains("--")) {
            throw new IllegalArgumentException("'" + ensembleName + "' is not an ensemble name "
                    + "ensemble_CONFIG1__TRAINER__PLANS--CONFIG2__TRAINER__PLANS");
        }
        List<String> configurations = new ArrayList<>();
        for (String model : ensembleName.substring(PREFIX.length()).split("--")) {
            configurations.add(model.split("__")[0]);
        }
        return configurations;
    }

    /**
     * Uploads the members (plans and final checkpoints of {@code manifest.folds()}), the postprocessing plan (if
     * given), then {@code model.json} last. Does not promote it.
     *
     * @param plansFiles configuration -> its plans file, for every member of the ensemble name
     * @param foldDirs   configuration -> fold -> local fold folder holding {@code model_final_checkpoint.*}
     */
    public static String write(ObjectStore store, ModelPackage.Manifest manifest, Map<String, Path> plansFiles,
                               Map<String, Map<Integer, Path>> foldDirs, Path postprocessingFile) throws IOException {
        return write(store, manifest, plansFiles, foldDirs, postprocessingFile, null);
    }

    /**
     * As {@link #write(ObjectStore, ModelPackage.Manifest, Map, Map, Path)}; an ensemble with a 3d_cascade_fullres
     * member also needs that member's input model, {@code cascadeLowresFolds} (fold -> 3d_lowres fold folder).
     */
    public static String write(ObjectStore store, ModelPackage.Manifest manifest, Map<String, Path> plansFiles,
                               Map<String, Map<Integer, Path>> foldDirs, Path postprocessingFile,
                               Map<Integer, Path> cascadeLowresFolds) throws IOException {
        List<String> members = members(manifest.configuration());
        if (members.contains(ModelPredictor.CASCADE) && (cascadeLowresFolds == null
                || !cascadeLowresFolds.keySet().equals(new HashSet<>(manifest.folds())))) {
            throw new IllegalArgumentException("ensemble " + manifest.configuration() + ": the "
                    + ModelPredictor.CASCADE + " member needs the 3d_lowres folds " + manifest.folds());
        }
        String prefix = ModelPackage.prefix(manifest.task(), manifest.version());
        if (store.exists(prefix + ModelPackage.MANIFEST)) {
            throw new IllegalStateException("model " + prefix + " already exists; versions are immutable");
        }
        for (String configuration : members) {
            Map<Integer, Path> folds = foldDirs.get(configuration);
            if (folds == null || !folds.keySet().equals(new HashSet<>(manifest.folds()))
                    || !plansFiles.containsKey(configuration)) {
                throw new IllegalArgumentException("ensemble " + prefix + ": member " + configuration
                        + " needs plans and the folds " + manifest.folds());
            }
            String member = prefix + MEMBERS + configuration + "/";
            store.put(member + ModelPackage.PLANS, plansFiles.get(configuration));
            for (int fold : manifest.folds()) {
                for (String name : ModelPackage.CHECKPOINT_FILES) {
                    Path file = folds.get(fold).resolve(name);
                    if (!Files.isRegularFile(file)) {
                        throw new IOException(file + ": missing; an ensemble member needs " + ModelPackage.CHECKPOINT_FILES
                                + " of every fold");
                    }
                    store.put(member + "fold_" + fold + "/" + name, file);
                    if (configuration.equals(ModelPredictor.CASCADE)) {
                        store.put(member + CascadePackage.LOWRES + "fold_" + fold + "/" + name,
                                requireFile(cascadeLowresFolds.get(fold).resolve(name)));
                    }
                }
            }
        }
        if (postprocessingFile != null) {
            store.put(prefix + ModelPackage.POSTPROCESSING, postprocessingFile);
        }
        store.putBytes(prefix + ModelPackage.MANIFEST, JSON.writeValueAsBytes(manifest));
        return prefix;
    }

    /** Copies a complete ensemble into {@code targetDir} with the same layout. */
    public static Local download(ObjectStore store, String task, String version, Path targetDir) throws IOException {
        ModelPackage.Manifest manifest = ModelPackage.readManifest(store, task, version);
        if (!isEnsemble(manifest)) {
            throw new IOException("model " + task + "/" + version + " is not an ensemble (configuration "
                    + manifest.configuration() + ")");
        }
        String prefix = ModelPackage.prefix(task, version);
        Files.createDirectories(targetDir);
        copy(store, prefix + ModelPackage.MANIFEST, targetDir.resolve(ModelPackage.MANIFEST));
        if (store.exists(prefix + ModelPackage.POSTPROCESSING)) {
            copy(store, prefix + ModelPackage.POSTPROCESSING, targetDir.resolve(ModelPackage.POSTPROCESSING));
        }
        Map<String, ModelPackage.Local> members = new LinkedHashMap<>();
        for (String configuration : members(manifest.configuration())) {
            String member = prefix + MEMBERS + configuration + "/";
            Path dir = targetDir.resolve(MEMBERS).resolve(configuration);
            Files.createDirectories(dir);
            copy(store, member + ModelPackage.PLANS, dir.resolve(ModelPackage.PLANS));
            for (int fold : manifest.folds()) {
                Path foldDir = Files.createDirectories(dir.resolve("fold_" + fold));
                for (String name : ModelPackage.CHECKPOINT_FILES) {
                    copy(store, member + "fold_" + fold + "/" + name, foldDir.resolve(name));
                }
                if (configuration.equals(ModelPredictor.CASCADE)) {
                    // the lowres folds share the cascade's 3D plans
                    Path lowresDir = Files.createDirectories(dir.resolve(CascadePackage.LOWRES));
                    Files.copy(dir.resolve(ModelPackage.PLANS), lowresDir.resolve(ModelPackage.PLANS),
                            StandardCopyOption.REPLACE_EXISTING);
                    Path lowres = Files.createDirectories(lowresDir.resolve("fold_" + fold));
                    for (String name : ModelPackage.CHECKPOINT_FILES) {
                        copy(store, member + CascadePackage.LOWRES + "fold_" + fold + "/" + name,
                                lowres.resolve(name));
                    }
                }
            }
            members.put(configuration, new ModelPackage.Local(new ModelPackage.Manifest(task, version, configuration,
                    manifest.folds(), manifest.metrics(), manifest.datasetVersion(), manifest.createdAt()), dir));
        }
        return new Local(manifest, targetDir, members);
    }

    private static Path requireFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": missing; the cascade member's 3d_lowres folds need "
                    + ModelPackage.CHECKPOINT_FILES);
        }
        return file;
    }

    private static void copy(ObjectStore store, String key, Path file) throws IOException {
        try (InputStream in = store.get(key)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
