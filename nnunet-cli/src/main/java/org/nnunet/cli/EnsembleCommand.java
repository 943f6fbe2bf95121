package org.nnunet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnunet.ensembling.SoftmaxEnsembler;
import org.nnunet.postprocessing.PostprocessingPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnUNet_ensemble -f F1 F2 -o OUT [-pp postprocessing.json] [--npz]} (v1 ensemble_predictions.merge). */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = "Averages the softmax (.npz, from prediction with --save_npz) of several folders and writes the "
                + "segmentations; with -pp also OUT_postprocessed.")
public final class EnsembleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--folders"}, required = true, arity = "1..*",
            description = "Folders with <case>.npz and <case>.json of every case.")
    List<Path> folders;

    @Option(names = {"-o", "--output_folder"}, required = true, description = "Where to write the segmentations.")
    Path output;

    @Option(names = {"-t", "--threads"}, defaultValue = "2",
            description = "Accepted for v1 compatibility; cases are merged one after another.")
    int threads;

    @Option(names = {"-pp", "--postprocessing_file"},
            description = "postprocessing.json to apply (strongly recommended in v1); none: no postprocessing.")
    Path postprocessingFile;

    @Option(names = "--npz", description = "Also store the mean softmax (.npz) and properties.")
    boolean npz;

    @Override
    public Integer call() throws Exception {
        PostprocessingPlan pp = postprocessingFile == null ? null : PostprocessingPlan.read(postprocessingFile);
        List<String> ids = new SoftmaxEnsembler().merge(folders, output, pp, npz);
        spec.commandLine().getOut().println("ensembled " + ids.size() + " cases from " + folders.size()
                + " folders into " + output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
