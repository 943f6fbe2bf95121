package org.nnunet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnUNet_evaluate_folder -ref REF -pred PRED -l 1 2}: writes PRED/summary.json (v1 evaluate_folder). */
@Command(name = "evaluate_folder", mixinStandardHelpOptions = true,
        description = "Evaluates the segmentations in PRED against REF (same file names) and writes PRED/summary.json "
                + "with per-case metrics and their mean.")
public final class EvaluateFolderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "-ref", required = true, description = "Folder with the reference segmentations (.nii.gz).")
    Path reference;

    @Option(names = "-pred", required = true, description = "Folder with the predicted segmentations (.nii.gz).")
    Path prediction;

    @Option(names = "-l", required = true, arity = "1..*", description = "Label ids to evaluate, e.g. -l 1 2.")
    List<Integer> labels;

    @Option(names = "--no_hd95", description = "Skip the 95% Hausdorff distance (v1 does not compute it by default).")
    boolean noHd95;

    @Override
    public Integer call() throws Exception {
        EvaluationSummary s = new FolderEvaluator(new Evaluator(new Evaluator.Options(true, !noHd95, true)))
                .evaluateFolder(reference, prediction, labels);
        for (Map.Entry<String, Map<String, Double>> e : s.mean().entrySet()) {
            spec.commandLine().getOut().printf("label %s: mean Dice %.4f%n", e.getKey(), e.getValue().get("Dice"));
        }
        spec.commandLine().getOut().println("written " + prediction.resolve(FolderEvaluator.SUMMARY));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
