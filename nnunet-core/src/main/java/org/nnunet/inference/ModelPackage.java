package org.nnunet.inference;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nnunet.dataset.TaskName;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectNotFoundException;
import org.nnunet.storage.ObjectStore;

/**
 * A published model in the object store, the unit the ensemble service writes and the inference service serves
 * (v1 keeps the same pieces in {@code RESULTS_FOLDER/nnUNet/CONFIG/TASK/TRAINER__PLANS/}):
 * <pre>
 * models/TASK/PROMOTED                      text: the served version, e.g. "v3"
 * models/TASK/vN/model.json                 {@link Manifest}; written last, so its presence means complete
 * models/TASK/vN/plans.json                 the plans file of the configuration
 * models/TASK/vN/postprocessing.json        v1 postprocessing.json (optional: absent = no postprocessing)
 * models/TASK/vN/fold_F/model_final_checkpoint.model(.json, .optimizer)
 * </pre>
 * A version is immutable once its {@code model.json} exists; promotion only rewrites {@code PROMOTED}.
 */
public final class ModelPackage {

    public static final String ROOT = "models/";
    public static final String PROMOTED = "PROMOTED";
    public static final String MANIFEST = "model.json";
    public static final String PLANS = "plans.json";
    public static final String POSTPROCESSING = "postprocessing.json";
    public static final String CHECKPOINT = "model_final_checkpoint";
    /** Files of one fold's checkpoint, as {@code TrainerCheckpoint} writes them. */
    public static final List<String> CHECKPOINT_FILES =
            List.of(CHECKPOINT + ".model", CHECKPOINT + ".model.json", CHECKPOINT + ".model.optimizer");

    private static final Pattern VERSION = Pattern.compile("v([1-9]\\d{0,8})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * {@code model.json}.
     *
     * @param configuration  {@code 2d}, {@code 3d_fullres} or {@code 3d_lowres}
     * @param folds          the folds whose checkpoints the package holds (their softmax is averaged)
     * @param metrics        validation numbers by name, e.g. {@code mean_dice}; sorted
     * @param datasetVersion the dataset version the model was trained on
     * @param createdAt      ISO-8601 instant
     */
    public record Manifest(@JsonProperty("task") String task,
                           @JsonProperty("version") String version,
                           @JsonProperty("configuration") String configuration,
                           @JsonProperty("folds") List<Integer> folds,
                           @JsonProperty("metrics") Map<String, Double> metrics,
                           @JsonProperty("dataset_version") String datasetVersion,
                           @JsonProperty("created_at") String createdAt) {
        public Manifest {
            requireTask(task);
            requireVersion(version);
            if (configuration == null || configuration.isBlank()) {
                throw new IllegalArgumentException("model " + task + "/" + version + ": configuration is missing");
            }
            if (folds == null || folds.isEmpty()) {
                throw new IllegalArgumentException("model " + task + "/" + version + ": no fold listed");
            }
            for (int f : folds) {
                if (f < 0) {
                    throw new IllegalArgumentException("model " + task + "/" + version + ": negative fold " + f);
                }
            }
            folds = List.copyOf(folds);
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metrics));
        }
    }

    /** A package copied to a local folder with the same layout, ready for {@link ModelPredictor}. */
    public record Local(Manifest manifest, Path dir) {
        public Path plansFile() {
            return dir.resolve(PLANS);
        }

        /** The postprocessing file, if the package has one. */
        public Optional<Path> postprocessingFile() {
            Path p = dir.resolve(POSTPROCESSING);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }

        public Path foldDir(int fold) {
            return dir.resolve("fold_" + fold);
        }
    }

    private ModelPackage() {
    }

    /** Throws unless {@code task} is a task folder name {@code TaskXXX_NAME} that is also a single key segment. */
    public static String requireTask(String task) {
        if (task == null) {
            throw new IllegalArgumentException("task is missing");
        }
        TaskName.parse(task);
        if (task.contains("/")) {
            throw new IllegalArgumentException("task '" + task + "' must not contain '/'");
        }
        ObjectKeys.requireValidKey(task);
        return task;
    }

    /** Throws unless {@code version} is {@code vN} with N >= 1. */
    public static String requireVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("model version '" + version + "' is not of the form vN (N >= 1)");
        }
        return version;
    }

    public static String taskPrefix(String task) {
        return ROOT + requireTask(task) + "/";
    }

    /** {@code models/TASK/vN/}: the prefix a {@code ModelPublished} event names as its model key. */
    public static String prefix(String task, String version) {
        return taskPrefix(task) + requireVersion(version) + "/";
    }

    public static String promotedKey(String task) {
        return taskPrefix(task) + PROMOTED;
    }

    /**
     * Uploads a package: plans, postprocessing (if given) and each fold's final checkpoint, then {@code model.json}
     * last. Does not promote it.
     *
     * @param foldDirs fold number -> local fold folder holding {@code model_final_checkpoint.*}; must match
     *                 {@code manifest.folds()}
     * @param postprocessingFile v1 {@code postprocessing.json}, or null for none
     * @return the package prefix
     */
    public static String write(ObjectStore store, Manifest manifest, Path plansFile, Path postprocessingFile,
                               Map<Integer, Path> foldDirs) throws IOException {
        if (!foldDirs.keySet().equals(new java.util.HashSet<>(manifest.folds()))) {
            throw new IllegalArgumentException("model " + manifest.task() + "/" + manifest.version() + ": fold folders "
                    + new TreeMap<>(foldDirs).keySet() + " do not match the manifest's folds " + manifest.folds());
        }
        String prefix = prefix(manifest.task(), manifest.version());
        if (store.exists(prefix + MANIFEST)) {
            throw new IllegalStateException("model " + prefix + " already exists; versions are immutable");
        }
        store.put(prefix + PLANS, plansFile);
        if (postprocessingFile != null) {
            store.put(prefix + POSTPROCESSING, postprocessingFile);
        }
        for (int fold : manifest.folds()) {
            for (String name : CHECKPOINT_FILES) {
                Path file = foldDirs.get(fold).resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new IOException(file + ": missing; a package needs " + CHECKPOINT_FILES + " of every fold");
                }
                store.put(prefix + "fold_" + fold + "/" + name, file);
            }
        }
        store.putBytes(prefix + MANIFEST, JSON.writeValueAsBytes(manifest));
        return prefix;
    }

    /** Points {@code PROMOTED} at {@code version}, which must be a complete package. */
    public static void promote(ObjectStore store, String task, String version) throws IOException {
        readManifest(store, task, version);
        store.putBytes(promotedKey(task), version.getBytes(StandardCharsets.UTF_8));
    }

    /** The promoted version of {@code task}, or empty if none was promoted yet. */
    public static Optional<String> promotedVersion(ObjectStore store, String task) throws IOException {
        String key = promotedKey(task);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        String text = new String(store.getBytes(key), StandardCharsets.UTF_8).trim();
        try {
            return Optional.of(requireVersion(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(store.location() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    public static Manifest readManifest(ObjectStore store, String task, String version) throws IOException {
        String key = prefix(task, version) + MANIFEST;
        Manifest m;
        try (InputStream in = store.get(key)) {
            m = JSON.readValue(in, Manifest.class);
        } catch (ObjectNotFoundException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(store.location() + "/" + key + ": cannot read model manifest: " + e.getMessage(), e);
        }
        if (!m.task().equals(task) || !m.version().equals(version)) {
            throw new IOException(store.location() + "/" + key + ": manifest names " + m.task() + "/" + m.version());
        }
        return m;
    }

    /** The complete versions of {@code task} (those with a {@code model.json}), oldest first. */
    public static List<String> versions(ObjectStore store, String task) throws IOException {
        String prefix = taskPrefix(task);
        Pattern manifest = Pattern.compile(Pattern.quote(prefix) + "(v\\d+)/" + Pattern.quote(MANIFEST));
        List<Integer> numbers = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            Matcher m = manifest.matcher(o.key());
            if (m.matches() && VERSION.matcher(m.group(1)).matches()) {
                numbers.add(Integer.parseInt(m.group(1).substring(1)));
            }
        }
        Collections.sort(numbers);
        return numbers.stream().map(n -> "v" + n).toList();
    }

    /** The version after the newest existing one ({@code v1} for a task without models). */
    public static String nextVersion(ObjectStore store, String task) throws IOException {
        List<String> existing = versions(store, task);
        return existing.isEmpty() ? "v1"
                : "v" + (Integer.parseInt(existing.get(existing.size() - 1).substring(1)) + 1);
    }

    /** Copies a complete package into {@code targetDir} (created; files replaced) with the same layout. */
    public static Local download(ObjectStore store, String task, String version, Path targetDir) throws IOException {
        Manifest manifest = readManifest(store, task, version);
        String prefix = prefix(task, version);
        Files.createDirectories(targetDir);
        copy(store, prefix + MANIFEST, targetDir.resolve(MANIFEST));
        copy(store, prefix + PLANS, targetDir.resolve(PLANS));
        if (store.exists(prefix + POSTPROCESSING)) {
            copy(store, prefix + POSTPROCESSING, targetDir.resolve(POSTPROCESSING));
        }
        for (int fold : manifest.folds()) {
            Path foldDir = targetDir.resolve("fold_" + fold);
            Files.createDirectories(foldDir);
            for (String name : CHECKPOINT_FILES) {
                copy(store, prefix + "fold_" + fold + "/" + name, foldDir.resolve(name));
            }
        }
        return new Local(manifest, targetDir);
    }

    private static void copy(ObjectStore store, String key, Path file) throws IOException {
        try (InputStream in = store.get(key)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
