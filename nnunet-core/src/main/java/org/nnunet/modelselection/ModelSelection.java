package org.nnunet.modelselection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.training.TrainerSettings;

/**
 * v1.7.1 {@code evaluation/model_selection/figure_out_what_to_submit}: every configuration whose folds are all trained
 * and validated is consolidated ({@link FoldConsolidation}, unless {@code cv_niftis_raw/summary.json} and
 * {@code postprocessing.json} exist) and scored by the mean foreground Dice of {@code cv_niftis_raw/summary.json};
 * every pair of them is ensembled ({@link ValidationEnsemble}) into
 * {@code RESULTS_FOLDER/nnUNet/ensembles/TASK/ensemble_M1__TR__PL--M2__TR__PL} and scored on its
 * {@code ensembled_raw/summary.json}; the best score wins (the first in order on a tie) and the inference commands
 * are written to {@code ensembles/TASK/prediction_commands.txt}, the per-class table to {@code summary.csv}.
 */
public final class ModelSelection {
    public static final String CASCADE_TRAINER = "nnUNetTrainerV2CascadeFullRes";

    /** Scores (mean foreground Dice) by model or ensemble name, the winner and the commands to run. */
    public record Result(Map<String, Double> scores, Map<String, Map<Integer, Double>> perClassDice, String best,
                         String predictionCommands, List<String> skipped) {}

    private final NnUNetPaths paths;
    private final Consumer<String> log;

    public ModelSelection(NnUNetPaths paths, Consumer<String> log) {
        this.paths = paths;
        this.log = log;
    }

    /** @param strict fail (instead of skipping) when a model folder or one of its folds is missing */
    public Result run(TaskName task, List<String> models, List<Integer> folds, boolean strict, boolean ensembling)
            throws IOException {
        Path gt = paths.preprocessedTask(task).resolve("gt_segmentations");
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> perClass = new LinkedHashMap<>();
        List<String> valid = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String m : models) {
            Path folder = modelFolder(m, task);
            String missing = missingFolds(folder, folds);
            if (missing != null) {
                String why = m + ": " + missing;
                if (strict) {
                    throw new IOException(why);
                }
                log.accept("skipping " + why);
                skipped.add(why);
                continue;
            }
            Path summaryFile = folder.resolve(FoldConsolidation.CV_RAW).resolve(FolderEvaluator.SUMMARY);
            if (!Files.isRegularFile(summaryFile)
                    || !Files.isRegularFile(folder.resolve(PostprocessingPlan.FILE_NAME))) {
                FoldConsolidation.consolidate(folder, gt, "validation_raw", folds, log);
            }
            EvaluationSummary s = EvaluationSummary.read(summaryFile);
            scores.put(m, foregroundMeanDice(s));
            perClass.put(m, foregroundDice(s));
            valid.add(m);
        }
        if (valid.isEmpty()) {
            throw new IOException("no configuration of " + task.fullName() + " has all folds " + folds
                    + " trained and validated: " + String.join("; ", skipped));
        }
        if (ensembling) {
            for (int i = 0; i < valid.size(); i++) {
                for (int j = i + 1; j < valid.size(); j++) {
                    String m1 = valid.get(i);
                    String m2 = valid.get(j);
                    Path f1 = modelFolder(m1, task);
                    Path f2 = modelFolder(m2, task);
                    String name = ensembleName(m1, m2);
                    if (!ValidationEnsemble.hasSoftmax(f1, "validation_raw", folds)
                            || !ValidationEnsemble.hasSoftmax(f2, "validation_raw", folds)) {
                        String why = name + ": validation softmax (.npz) missing, train with --npz";
                        if (strict) {
                            throw new IOException(why);
                        }
                        log.accept("skipping " + why);
                        skipped.add(why);
                        continue;
                    }
                    log.accept("ensembling " + m1 + " and " + m2);
                    List<Integer> fg = new ArrayList<>(perClass.get(m1).keySet());
                    EvaluationSummary s = ValidationEnsemble.ensemble(f1, f2, ensemblesFolder(task).resolve(name), gt,
                            "validation_raw", folds, fg);
                    scores.put(name, foregroundMeanDice(s));
                    perClass.put(name, foregroundDice(s));
                }
            }
        }
        String best = null;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            log.accept(e.getKey() + " " + e.getValue());
            if (best == null || e.getValue() > scores.get(best)) {
                best = e.getKey();
            }
        }
        log.accept(task.fullName() + " submit model " + best + " " + scores.get(best));
        String commands = predictionCommands(task, best);
        log.accept("\nHere is how you should predict test cases. Run in sequential order and replace all input and "
                + "output folder names with your personalized ones\n");
        log.accept(commands);
        Path summaryFolder = ensemblesFolder(task);
        Files.createDirectories(summaryFolder);
        Files.writeString(summaryFolder.resolve("prediction_commands.txt"), commands);
        Files.writeString(summaryFolder.resolve("summary.csv"), csv(scores, perClass));
        return new Result(scores, perClass, best, commands, skipped);
    }

    /** v1's printed commands for the winner (a model, or the two models of an ensemble plus nnUNet_ensemble). */
    String predictionCommands(TaskName task, String best) {
        String tr = TrainerSettings.TRAINER_NAME;
        String pl = TrainerSettings.PLANS_IDENTIFIER;
        String common = " -tr " + tr + " -ctr " + CASCADE_TRAINER + " -m ";
        String suffix = " -p " + pl + " -t " + task.fullName();
        if (!best.startsWith("ensemble_")) {
            return "nnUNet_predict -i FOLDER_WITH_TEST_CASES -o OUTPUT_FOLDER_MODEL1" + common + best + suffix + "\n";
        }
        String[] models = best.substring("ensemble_".length()).split("--");
        String m1 = models[0].split("__")[0];
        String m2 = models[1].split("__")[0];
        // --save_npz: nnUNet_ensemble averages the softmax files
        return "nnUNet_predict -i FOLDER_WITH_TEST_CASES -o OUTPUT_FOLDER_MODEL1" + common + m1 + suffix
                + " --save_npz\n"
                + "nnUNet_predict -i FOLDER_WITH_TEST_CASES -o OUTPUT_FOLDER_MODEL2" + common + m2 + suffix
                + " --save_npz\n"
                + "nnUNet_ensemble -f OUTPUT_FOLDER_MODEL1 OUTPUT_FOLDER_MODEL2 -o OUTPUT_FOLDER -pp "
                + ensemblesFolder(task).resolve(best).resolve(PostprocessingPlan.FILE_NAME) + "\n";
    }

    public Path modelFolder(String configuration, TaskName task) {
        String trainer = "3d_cascade_fullres".equals(configuration) ? CASCADE_TRAINER : TrainerSettings.TRAINER_NAME;
        return paths.requireTrainingOutput().resolve(configuration).resolve(task.fullName())
                .resolve(trainer + "__" + TrainerSettings.PLANS_IDENTIFIER);
    }

    public Path ensemblesFolder(TaskName task) {
        return paths.requireTrainingOutput().resolve("ensembles").resolve(task.fullName());
    }

    /** v1: {@code "ensemble_" + m1 + "__" + tr1 + "__" + pl + "--" + m2 + "__" + tr2 + "__" + pl}. */
    public static String ensembleName(String m1, String m2) {
        return "ensemble_" + m1 + "__" + trainerFor(m1) + "__" + TrainerSettings.PLANS_IDENTIFIER + "--" + m2 + "__"
                + trainerFor(m2) + "__" + TrainerSettings.PLANS_IDENTIFIER;
    }

    private static String trainerFor(String configuration) {
        return "3d_cascade_fullres".equals(configuration) ? CASCADE_TRAINER : TrainerSettings.TRAINER_NAME;
    }

    /** Null when every fold has {@code fold_N/validation_raw/summary.json}, else why not. */
    static String missingFolds(Path modelFolder, List<Integer> folds) {
        if (!Files.isDirectory(modelFolder)) {
            return "output folder missing, expected " + modelFolder;
        }
        List<Integer> missing = new ArrayList<>();
        for (int f : folds) {
            if (!Files.isRegularFile(modelFolder.resolve("fold_" + f).resolve("validation_raw")
                    .resolve(FolderEvaluator.SUMMARY))) {
                missing.add(f);
            }
        }
        return missing.isEmpty() ? null : "folds " + missing + " not trained/validated in " + modelFolder;
    }

    /** v1 {@code get_mean_foreground_dice}: mean over the labels except 0 of their mean Dice. */
    public static double foregroundMeanDice(EvaluationSummary s) {
        Map<Integer, Double> d = foregroundDice(s);
        return d.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static Map<Integer, Double> foregroundDice(EvaluationSummary s) {
        Map<Integer, Double> d = new java.util.TreeMap<>();
        for (String k : s.mean().keySet()) {
            if (k.matches("-?\\d+") && !k.equals("0")) {
                d.put(Integer.parseInt(k), s.meanDice(Integer.parseInt(k)));
            }
        }
        return d;
    }

    /** v1's {@code summary.csv}: model, Dice per class, average. */
    private static String csv(Map<String, Double> scores, Map<String, Map<Integer, Double>> perClass) {
        StringBuilder b = new StringBuilder("model");
        List<Integer> classes = new ArrayList<>(perClass.values().iterator().next().keySet());
        classes.forEach(c -> b.append(",class").append(c));
        b.append(",average\n");
        for (String m : scores.keySet()) {
            b.append(m);
            for (int c : classes) {
                b.append(String.format(",%.4f", perClass.get(m).getOrDefault(c, Double.NaN)));
            }
            b.append(String.format(",%.4f\n", scores.get(m)));
        }
        return b.toString();
    }
}
