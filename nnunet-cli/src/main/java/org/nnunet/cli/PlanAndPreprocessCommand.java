package org.nnunet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.nnunet.cropping.CroppedDataFolder;
import org.nnunet.cropping.RawCase;
import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.RawDataset;
import org.nnunet.dataset.TaskName;
import org.nnunet.planning.ExperimentPlanner2D;
import org.nnunet.planning.ExperimentPlanner3D;
import org.nnunet.planning.IntensityProperties;
import org.nnunet.planning.PlanAndPreprocess;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PreprocessingStep;
import org.nnunet.preprocessing.CtIntensities;
import org.nnunet.preprocessing.GenericPreprocessor;
import org.nnunet.preprocessing.NormalizationScheme;
import org.nnunet.preprocessing.PreprocessingConfig;
import org.nnunet.preprocessing.PreprocessorFor2D;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * nnU-Net v1 {@code nnUNet_plan_and_preprocess} (experiment_planning/nnUNet_plan_and_preprocess.py): per task,
 * optionally verify the raw data, crop it into nnUNet_cropped_data, fingerprint it, then plan 3D (fullres and
 * maybe lowres) and 2D into nnUNet_preprocessed/TaskXXX and preprocess with each plans file
 * ({@code <data_identifier>_stage<i>} folders).
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
    PreprocessingStep preprocessing = PlanAndPreprocessCommand::preprocess;

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
            run.run(noPreprocessing ? null : preprocessing, out::println);
            out.println(noPreprocessing ? "preprocessing: not run (-no_pp); plans written to "
                    + paths.preprocessedTask(task) : "preprocessed into " + paths.preprocessedTask(task));
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

    /**
     * v1 {@code ExperimentPlanner.run_preprocessing}: copy {@code gt_segmentations} next to the preprocessed data,
     * then run the plans' preprocessor (GenericPreprocessor or PreprocessorFor2D) for every stage; with two stages
     * the low-resolution one runs on {@code -tl} threads, otherwise {@code -tf}.
     */
    static void preprocess(Plans plans, CroppedDataFolder cropped, Path preprocessedDir, int threadsLowres,
            int threadsFullres) throws IOException {
        copyTree(cropped.gtSegmentationsDir(), preprocessedDir.resolve("gt_segmentations"));
        int n = plans.numModalities();
        NormalizationScheme[] schemes = new NormalizationScheme[n];
        boolean[] useMask = new boolean[n];
        CtIntensities[] ct = new CtIntensities[n];
        Map<Integer, IntensityProperties> intensities = plans.datasetProperties().intensityProperties();
        for (int m = 0; m < n; m++) {
            schemes[m] = NormalizationScheme.fromPlanName(plans.normalizationSchemes().get(m));
            useMask[m] = plans.useMaskForNorm().get(m);
            IntensityProperties ip = intensities == null ? null : intensities.get(m);
            ct[m] = ip == null ? null : new CtIntensities(ip.mean(), ip.sd(), ip.percentile00_5(), ip.percentile99_5());
        }
        PreprocessingConfig config = new PreprocessingConfig(schemes, useMask, ct, plans.transposeForward(),
                plans.allClasses());
        GenericPreprocessor preprocessor = "PreprocessorFor2D".equals(plans.preprocessorName())
                ? new PreprocessorFor2D(config) : new GenericPreprocessor(config);
        List<double[]> spacings = new ArrayList<>();
        for (int s = 0; s < plans.numStages(); s++) {
            spacings.add(plans.stage(s).currentSpacing());
        }
        int[] threads = plans.numStages() > 1 ? new int[] {threadsLowres, threadsFullres} : new int[] {threadsFullres};
        preprocessor.run(spacings, cropped.dir(), preprocessedDir, plans.dataIdentifier(), threads);
    }

    /** Replaces {@code to} by a copy of {@code from} (v1: rmtree + copytree). */
    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> s = Files.walk(to)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.list(from)) {
                for (Path p : s.toList()) {
                    Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
