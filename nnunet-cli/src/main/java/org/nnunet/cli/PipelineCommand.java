package org.nnunet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.pipeline.LocalPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnUNet_pipeline}: the README's "how to run nnU-Net on a new dataset" in one command on the local
 * filesystem, ending in {@code WORK_DIR/report.html}.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "convert -> verify -> plan and preprocess -> train -> find best configuration -> predict "
                + "imagesTs -> evaluate -> WORK_DIR/report.html. Base folders default to WORK_DIR/nnUNet_raw_data_base, "
                + "WORK_DIR/nnUNet_preprocessed and WORK_DIR/nnUNet_trained_models unless the environment variables "
                + "or flags give them.")
public final class PipelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--input"}, required = true,
            description = "A Decathlon TaskXX_NAME folder (converted first) or an nnU-Net raw TaskXXX_NAME folder.")
    Path input;

    @Option(names = {"-o", "--work_dir"}, required = true, description = "Where everything is written.")
    Path workDir;

    @Option(names = {"-m", "--configurations"}, arity = "1..*", defaultValue = "2d,3d_fullres", split = ",",
            description = "Configurations to train (default 2d 3d_fullres; 3d_lowres and 3d_cascade_fullres for tasks "
                    + "with a cascade).")
    List<String> configurations;

    @Option(names = {"-f", "--folds"}, arity = "1..*", defaultValue = "0,1,2,3,4", split = ",",
            description = "Folds to train (default all five; model selection needs all five).")
    List<Integer> folds;

    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs per fold (nnU-Net: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--iterations", defaultValue = "250",
            description = "Training iterations per epoch (nnU-Net: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--val_iterations", defaultValue = "50",
            description = "Validation batches per epoch (nnU-Net: ${DEFAULT-VALUE}).")
    int valIterations;

    @Option(names = {"-p", "--threads"}, defaultValue = "2", description = "Threads for conversion, checks and "
            + "preprocessing (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--disable_tta", description = "Predict imagesTs without mirroring (faster).")
    boolean disableTta;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NnUNetPaths env = pathOptions.paths();
        Path w = workDir.toAbsolutePath();
        NnUNetPaths paths = new NnUNetPaths(
                env.rawDataBase() != null ? env.rawDataBase() : w.resolve("nnUNet_raw_data_base"),
                env.preprocessed() != null ? env.preprocessed() : w.resolve("nnUNet_preprocessed"),
                env.results() != null ? env.results() : w.resolve("nnUNet_trained_models"));
        out.println("nnUNet_raw_data_base=" + paths.rawDataBase() + "\nnnUNet_preprocessed=" + paths.preprocessed()
                + "\nRESULTS_FOLDER=" + paths.results());
        LocalPipeline.Result r = new LocalPipeline(new LocalPipeline.Settings(input, w, paths, configurations, folds,
                epochs, iterations, valIterations, threads, !disableTta), line -> {
                    out.println(line);
                    out.flush();
                }).run();
        out.println("done: " + r.report());
        out.flush();
        return 0;
    }
}
