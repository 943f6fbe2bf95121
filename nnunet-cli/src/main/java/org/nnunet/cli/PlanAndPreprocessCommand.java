package org.nnunet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.RawDataset;
import org.nnunet.dataset.TaskName;
import org.nnunet.planning.ExperimentPlanner2D;
import org.nnunet.planning.ExperimentPlanner3D;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.PreprocessingStep;
import org.nnunet.preprocessing.PlansPreprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * nnU-Net v1 {@code nnUNet_plan_and_preprocess} (experiment_planning/nnUNet_plan_and_preprocess.py): per task,
 * optionally verify the raw data, crop it into nnUNet_cropped_data, fingerprint it, then plan 3D (fullres and
 * maybe lowres) and 2D into nnUNet_preprocessed/TaskXXX and preprocess with each plans file.
 */
@Command(name = "plan_and_preprocess", mixinStandardHelpOptions = true,
        description = "Crops, fingerprints and plans nnUNet_raw_data/TaskXXX_NAME (nnU-Net v1.7.1 rules); writes "
                + "nnUNetPlansv2.1_plans_3D.json and _2D.json to nnUNet_preprocessed/TaskXXX_NAME.")
public final class PlanAndPreprocessCommand implements Callable<Integer> {
    private static final String NONE = "None";

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--task_ids"}, required = true, arity = "1..*", paramLabel = "TASK",
            description = "Task ids (4, 004) or names (Task004_Hippocampus).")
    List<String> tasks;

    @Option(names = {"-pl3d", "--planner3d"}, defaultValue = ExperimentPlanner3D.NAME, paramLabel = "NAME",
            description = "3D planner: ${DEFAULT-VALUE} or None (no 3D U-Net / cascade plans).")
    String planner3d;

    @Option(names = {"-pl2d", "--planner2d"}, defaultValue = ExperimentPlanner2D.NAME, paramLabel = "NAME",
            description = "2D planner: ${DEFAULT-VALUE} or None (no 2D U-Net plans).")
    String planner2d;

    @Option(names = "-no_pp", description = "Plan only, do not preprocess.")
    boolean noPreprocessing;

    @Option(names = "-tl", defaultValue = "8", paramLabel = "N",
            description = "Threads for preprocessing the low-resolution data (default ${DEFAULT-VALUE}).")
    int threadsLowres;

    @Option(names = "-tf", defaultValue = "8", paramLabel = "N",
            description = "Threads for cropping, the fingerprint and full-resolution preprocessing "
                    + "(default ${DEFAULT-VALUE}).")
    int threadsFullres;

    @Option(names = "--verify_dataset_integrity", description = "Check the raw task first (do this once per dataset).")
    boolean verify;

    @Mixin
    NnUNetPathOptions pathOptions;

    /** Run after each plans file unless {@code -no_pp}: the single place where preprocessing is wired in. */
    PreprocessingStep preprocessing = new PlansPreprocessing();

    @Override
    public Integer call() throws IOException {
        boolean plan3d = enabled(planner3d, ExperimentPlanner3D.NAME, "-pl3d");
        boolean plan2d = enabled(planner2d, ExperimentPlanner2D.NAME, "-pl2d");
        PrintWriter out = spec.commandLine().getOut();
        NnUNetPaths paths = pathOptions.paths();
        for (String t : tasks) {
            TaskName task = TaskName.resolve(t, paths);
            Path raw = paths.rawTask(task);
            if (verify) {
                out.println(new DatasetIntegrityChecker(threadsFullres).verify(raw).describe());
            }
            RawDataset dataset = RawDataset.open(raw);
            List<RawCase> cases = dataset.trainingCases().stream()
                    .map(c -> new RawCase(c.id(), c.images(), c.label())).toList();
            Map<Integer, String> modalities = new LinkedHashMap<>();
            dataset.datasetJson().modality().forEach((k, v) -> modalities.put(Integer.parseInt(k), v));
            out.println(task.fullName());
            PlanAndPreprocess run = new PlanAndPreprocess(cases, raw.resolve("dataset.json"),
                    dataset.datasetJson().labels(), modalities, paths.croppedTask(task), paths.preprocessedTask(task),
                    threadsLowres, threadsFullres, plan3d, plan2d);
            PreprocessingStep step = noPreprocessing ? null : preprocessing;
            run.run(step, out::println);
            if (step == null) {
                out.println("preprocessing: not run (" + (noPreprocessing ? "-no_pp" : "no preprocessor in this build")
                        + "); plans written to " + paths.preprocessedTask(task));
            }
            out.flush();
        }
        return 0;
    }

    private static boolean enabled(String name, String supported, String flag) {
        if (NONE.equals(name)) {
            return false;
        }
        if (!supported.equals(name)) {
            throw new IllegalArgumentException("unknown planner '" + name + "' for " + flag + ": this build has "
                    + supported + " (or None)");
        }
        return true;
    }
}
