package org.nnunet.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.nnunet.dataset.DatasetIntegrityChecker;
import org.nnunet.dataset.IntegrityReport;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --verify_dataset_integrity} check of nnUNet_plan_and_preprocess on its own, so a dataset can be checked
 * without planning. Exit code 1 when there are errors.
 */
@Command(name = "verify_dataset_integrity", mixinStandardHelpOptions = true,
        description = "Checks nnUNet_raw_data/TaskXXX_NAME as nnUNet_plan_and_preprocess --verify_dataset_integrity "
                + "does, listing every problem.")
public final class VerifyDatasetIntegrityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--task_ids"}, required = true, arity = "1..*", paramLabel = "TASK",
            description = "Task ids (4, 004) or names (Task004_Hippocampus).")
    List<String> tasks;

    @Option(names = "-p", paramLabel = "N", defaultValue = "${env:nnUNet_def_n_proc:-8}",
            description = "Number of threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() {
        NnUNetPaths paths = pathOptions.paths();
        DatasetIntegrityChecker checker = new DatasetIntegrityChecker(threads);
        boolean ok = true;
        for (String t : tasks) {
            IntegrityReport report = checker.check(paths.rawTask(TaskName.resolve(t, paths)));
            (report.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(report.describe());
            ok &= report.ok();
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return ok ? 0 : 1;
    }
}
