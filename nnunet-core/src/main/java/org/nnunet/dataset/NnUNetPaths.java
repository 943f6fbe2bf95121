package org.nnunet.dataset;

import java.nio.file.Path;
import java.util.Map;

/**
 * The three nnU-Net v1 base folders (nnunet/paths.py). Each may be null when neither its environment variable nor a
 * command-line override gives it; the {@code require*} accessors then fail with a message naming the variable.
 *
 * @param rawDataBase {@code nnUNet_raw_data_base}: holds {@code nnUNet_raw_data/} and {@code nnUNet_cropped_data/}
 * @param preprocessed {@code nnUNet_preprocessed}: one folder per task with plans and preprocessed arrays
 * @param results {@code RESULTS_FOLDER}: trained models live under {@code RESULTS_FOLDER/nnUNet/}
 */
public record NnUNetPaths(Path rawDataBase, Path preprocessed, Path results) {

    public static final String ENV_RAW_DATA_BASE = "nnUNet_raw_data_base";
    public static final String ENV_PREPROCESSED = "nnUNet_preprocessed";
    public static final String ENV_RESULTS = "RESULTS_FOLDER";

    /** Reads the three environment variables; blank values count as unset. */
    public static NnUNetPaths fromEnvironment(Map<String, String> env) {
        return new NnUNetPaths(pathOrNull(env.get(ENV_RAW_DATA_BASE)), pathOrNull(env.get(ENV_PREPROCESSED)),
                pathOrNull(env.get(ENV_RESULTS)));
    }

    public static NnUNetPaths fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Non-null arguments replace the corresponding folder (command-line flags win over environment variables). */
    public NnUNetPaths withOverrides(Path rawDataBase, Path preprocessed, Path results) {
        return new NnUNetPaths(rawDataBase != null ? rawDataBase : this.rawDataBase,
                preprocessed != null ? preprocessed : this.preprocessed, results != null ? results : this.results);
    }

    /** {@code nnUNet_raw_data_base/nnUNet_raw_data}, where converted TaskXXX_NAME folders go; null if unset. */
    public Path rawData() {
        return rawDataBase == null ? null : rawDataBase.resolve("nnUNet_raw_data");
    }

    /** {@code nnUNet_raw_data_base/nnUNet_cropped_data}; null if unset. */
    public Path croppedData() {
        return rawDataBase == null ? null : rawDataBase.resolve("nnUNet_cropped_data");
    }

    /** {@code RESULTS_FOLDER/nnUNet} (v1's network_training_output_dir); null if unset. */
    public Path trainingOutput() {
        return results == null ? null : results.resolve("nnUNet");
    }

    public Path requireRawData() {
        return require(rawDataBase, ENV_RAW_DATA_BASE).resolve("nnUNet_raw_data");
    }

    public Path requireCroppedData() {
        return require(rawDataBase, ENV_RAW_DATA_BASE).resolve("nnUNet_cropped_data");
    }

    public Path requirePreprocessed() {
        return require(preprocessed, ENV_PREPROCESSED);
    }

    public Path requireTrainingOutput() {
        return require(results, ENV_RESULTS).resolve("nnUNet");
    }

    /** {@code nnUNet_raw_data/TaskXXX_NAME}. */
    public Path rawTask(TaskName task) {
        return requireRawData().resolve(task.fullName());
    }

    /** {@code nnUNet_cropped_data/TaskXXX_NAME}. */
    public Path croppedTask(TaskName task) {
        return requireCroppedData().resolve(task.fullName());
    }

    /** {@code nnUNet_preprocessed/TaskXXX_NAME}. */
    public Path preprocessedTask(TaskName task) {
        return requirePreprocessed().resolve(task.fullName());
    }

    private static Path require(Path p, String variable) {
        if (p == null) {
            throw new IllegalStateException(variable + " is not set: export it or pass --" + variable);
        }
        return p;
    }

    private static Path pathOrNull(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
