package org.nnunet.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.modelselection.ModelSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * nnU-Net v1 {@code nnUNet_find_best_configuration} (evaluation/model_selection/figure_out_what_to_submit.py).
 */
@Command(name = "find_best_configuration", mixinStandardHelpOptions = true,
        description = "Consolidates the 5-fold cross-validation of each configuration (writes its postprocessing.json),"
                + " scores every configuration and pair ensemble by mean foreground Dice and prints how to predict.")
public final class FindBestConfigurationCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--models"}, arity = "1..*",
            defaultValue = "2d,3d_lowres,3d_fullres,3d_cascade_fullres", split = ",",
            description = "Configurations to consider (default: all four).")
    List<String> models;

    @Option(names = {"-t", "--task_ids"}, required = true, arity = "1..*", description = "Task ids or names.")
    List<String> tasks;

    @Option(names = {"-f", "--folds"}, arity = "1..*", defaultValue = "0,1,2,3,4", split = ",",
            description = "Folds of the cross-validation (default 0 1 2 3 4).")
    List<Integer> folds;

    @Option(names = "--strict", description = "Fail when a configuration or one of its folds is missing.")
    boolean strict;

    @Option(names = "--disable_ensembling", description = "Do not try pair ensembles.")
    boolean disableEnsembling;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NnUNetPaths paths = pathOptions.paths();
        for (String t : tasks) {
            TaskName task = TaskName.resolve(t, paths);
            out.println("\n" + task.fullName());
            new ModelSelection(paths, line -> {
                out.println(line);
                out.flush();
            }).run(task, models, folds, strict, !disableEnsembling);
        }
        out.flush();
        return 0;
    }
}
