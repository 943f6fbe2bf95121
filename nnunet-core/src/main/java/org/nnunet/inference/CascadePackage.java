package org.nnunet.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import org.nnunet.storage.ObjectStore;

/**
 * A published 3d_cascade_fullres model: the cascade's {@link ModelPackage} plus the 3d_lowres folds that predict
 * its input, as v1 {@code nnUNet_predict -m 3d_cascade_fullres} needs both model folders:
 * <pre>
 * models/TASK/vN/model.json, plans.json, postprocessing.json, fold_F/...   the cascade (ModelPackage; model.json last)
 * models/TASK/vN/lowres/plans.json                                        the 3d_lowres member, written first
 * models/TASK/vN/lowres/postprocessing.json                               its own consolidated postprocessing (optional)
 * models/TASK/vN/lowres/fold_F/model_final_checkpoint.model(.json, .optimizer)   the same folds as the cascade
 * </pre>
 */
public final class CascadePackage {

    public static final String LOWRES = "lowres/";
    public static final String LOWRES_CONFIGURATION = "3d_lowres";

    /** A downloaded cascade: its own package and the lowres member (manifest configuration 3d_lowres). */
    public record Local(ModelPackage.Local cascade, ModelPackage.Local lowres) {
    }

    private CascadePackage() {
    }

    public static boolean isCascade(ModelPackage.Manifest manifest) {
        return ModelPredictor.CASCADE.equals(manifest.configuration());
    }

    /**
     * Uploads the lowres member, then the cascade's package ({@code model.json} last). Does not promote it.
     *
     * @param lowresPostprocessing the 3d_lowres folds' own postprocessing plan, or null
     */
    public static String write(ObjectStore store, ModelPackage.Manifest manifest, Path plansFile,
                               Path postprocessingFile, Map<Integer, Path> foldDirs, Path lowresPlansFile,
                               Path lowresPostprocessing, Map<Integer, Path> lowresFoldDirs) throws IOException {
        if (!isCascade(manifest)) {
            throw new IllegalArgumentException("model " + manifest.task() + "/" + manifest.version() + " is "
                    + manifest.configuration() + ", not " + ModelPredictor.CASCADE);
        }
        String prefix = ModelPackage.prefix(manifest.task(), manifest.version());
        if (store.exists(prefix + ModelPackage.MANIFEST)) {
            throw new IllegalStateException("model " + prefix + " already exists; versions are immutable");
        }
        if (!lowresFoldDirs.keySet().equals(new HashSet<>(manifest.folds()))) {
            throw new IllegalArgumentException("cascade " + prefix + ": the 3d_lowres member needs the folds "
                    + manifest.folds() + ", got " + lowresFoldDirs.keySet());
        }
        String lowres = prefix + LOWRES;
        store.put(lowres + ModelPackage.PLANS, lowresPlansFile);
        if (lowresPostprocessing != null) {
            store.put(lowres + ModelPackage.POSTPROCESSING, lowresPostprocessing);
        }
        for (int fold : manifest.folds()) {
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                Path file = lowresFoldDirs.get(fold).resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new IOException(file + ": missing; the cascade's 3d_lowres member needs "
                            + ModelPackage.CHECKPOINT_FILES + " of every fold");
                }
                store.put(lowres + "fold_" + fold + "/" + name, file);
            }
        }
        return ModelPackage.write(store, manifest, plansFile, postprocessingFile, foldDirs);
    }

    /** Copies a complete cascade into {@code targetDir} (the lowres member in {@code targetDir/lowres}). */
    public static Local download(ObjectStore store, String task, String version, Path targetDir) throws IOException {
        ModelPackage.Local cascade = ModelPackage.download(store, task, version, targetDir);
        ModelPackage.Manifest m = cascade.manifest();
        if (!isCascade(m)) {
            throw new IOException("model " + task + "/" + version + " is not a cascade (configuration "
                    + m.configuration() + ")");
        }
        String prefix = ModelPackage.prefix(task, version) + LOWRES;
        Path dir = Files.createDirectories(targetDir.resolve(LOWRES));
        copy(store, prefix + ModelPackage.PLANS, dir.resolve(ModelPackage.PLANS));
        if (store.exists(prefix + ModelPackage.POSTPROCESSING)) {
            copy(store, prefix + ModelPackage.POSTPROCESSING, dir.resolve(ModelPackage.POSTPROCESSING));
        }
        for (int fold : m.folds()) {
            Path foldDir = Files.createDirectories(dir.resolve("fold_" + fold));
            for (String name : ModelPackage.CHECKPOINT_FILES) {
                copy(store, prefix + "fold_" + fold + "/" + name, foldDir.resolve(name));
            }
        }
        ModelPackage.Manifest lowres = new ModelPackage.Manifest(task, version, LOWRES_CONFIGURATION, m.folds(),
                Map.of(), m.datasetVersion(), m.createdAt());
        return new Local(cascade, new ModelPackage.Local(lowres, dir));
    }

    private static void copy(ObjectStore store, String key, Path file) throws IOException {
        try (InputStream in = store.get(key)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
