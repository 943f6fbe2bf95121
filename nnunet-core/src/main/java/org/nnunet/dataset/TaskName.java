package org.nnunet.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A task folder name {@code TaskXXX_NAME}, and the resolution of a user's task argument (an id such as {@code 4} or
 * {@code 004}, or a full name) as nnunet/utilities/task_name_id_conversion.py does it.
 */
public record TaskName(int id, String name) {

    private static final Pattern FULL = Pattern.compile("Task(\\d{3,})_(.+)");

    public TaskName {
        if (id < 0 || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a task needs an id >= 0 and a non-empty name, got " + id + ", " + name);
        }
    }

    /** {@code Task004_Hippocampus}: the id zero-padded to 3 digits ({@code "Task%03.0d"} in v1). */
    public String fullName() {
        return String.format("Task%03d_%s", id, name);
    }

    @Override
    public String toString() {
        return fullName();
    }

    /** Parses a full name {@code TaskXXX_NAME} (convert_task_name_to_id). */
    public static TaskName parse(String fullName) {
        Matcher m = FULL.matcher(fullName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + fullName + "' is not a task name of the form TaskXXX_NAME");
        }
        return new TaskName(Integer.parseInt(m.group(1)), m.group(2));
    }

    /**
     * Resolves what the user typed: a full name is taken as is (as v1 does); an integer id is looked up among the
     * task folders of nnUNet_raw_data, nnUNet_cropped_data, nnUNet_preprocessed and RESULTS_FOLDER/nnUNet/* (v1 looks
     * in the first three; the results folder lets prediction find a task whose raw data is elsewhere).
     *
     * @throws IllegalArgumentException when the id matches no folder or several different names; the message lists
     *         every folder searched
     */
    public static TaskName resolve(String idOrName, NnUNetPaths paths) {
        String arg = idOrName.trim();
        if (arg.startsWith("Task")) {
            return parse(arg);
        }
        int id;
        try {
            id = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + idOrName + "' is neither a task id (e.g. 4 or 004) nor a task "
                    + "name (e.g. Task004_Hippocampus)");
        }
        List<Path> searched = searchFolders(paths);
        String prefix = String.format("Task%03d_", id);
        TreeSet<String> candidates = new TreeSet<>();
        for (Path folder : searched) {
            candidates.addAll(subfoldersStartingWith(folder, prefix));
        }
        if (candidates.size() == 1) {
            return parse(candidates.first());
        }
        String where = describe(searched, paths);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Could not find a task with the ID " + id + " (no folder " + prefix
                    + "*). I looked in:\n" + where);
        }
        throw new IllegalArgumentException("More than one task name found for task id " + id + ": " + candidates
                + ". Please correct that. I looked in:\n" + where);
    }

    private static List<Path> searchFolders(NnUNetPaths paths) {
        List<Path> folders = new ArrayList<>();
        if (paths.rawData() != null) {
            folders.add(paths.rawData());
            folders.add(paths.croppedData());
        }
        if (paths.preprocessed() != null) {
            folders.add(paths.preprocessed());
        }
        Path trained = paths.trainingOutput();
        if (trained != null && Files.isDirectory(trained)) {
            // RESULTS_FOLDER/nnUNet/<network>/TaskXXX_NAME
            try (Stream<Path> networks = Files.list(trained)) {
                networks.filter(Files::isDirectory).sorted().forEach(folders::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + trained, e);
            }
        } else if (trained != null) {
            folders.add(trained);
        }
        return folders;
    }

    private static List<String> subfoldersStartingWith(Path folder, String prefix) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String describe(List<Path> searched, NnUNetPaths paths) {
        StringBuilder sb = new StringBuilder();
        for (Path p : searched) {
            sb.append("  ").append(p).append(Files.isDirectory(p) ? "" : " (does not exist)").append('\n');
        }
        if (paths.rawDataBase() == null) {
            sb.append("  (").append(NnUNetPaths.ENV_RAW_DATA_BASE).append(" is not set)\n");
        }
        if (paths.preprocessed() == null) {
            sb.append("  (").append(NnUNetPaths.ENV_PREPROCESSED).append(" is not set)\n");
        }
        if (paths.results() == null) {
            sb.append("  (").append(NnUNetPaths.ENV_RESULTS).append(" is not set)\n");
        }
        return sb.toString().stripTrailing();
    }
}
