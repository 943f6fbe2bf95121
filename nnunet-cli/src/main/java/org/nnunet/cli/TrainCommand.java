package org.nnunet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * nnU-Net v1 {@code nnUNet_train CONFIGURATION TRAINER TASK FOLD} (run/run_training.py): trains one fold into
 * {@code RESULTS_FOLDER/nnUNet/CONFIGURATION/TaskXXX/TRAINER__nnUNetPlansv2.1/fold_N}, then validates it; a 3d_lowres
 * fold then predicts its validation cases for the cascade ({@code pred_next_stage}). 3d_cascade_fullres trains with
 * nnUNetTrainerV2CascadeFullRes, every other configuration with nnUNetTrainerV2.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains one fold of one configuration (nnUNetTrainerV2; 3d_cascade_fullres: "
                + "nnUNetTrainerV2CascadeFullRes), then predicts and evaluates the fold's validation cases.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIGURATION", description = "2d, 3d_fullres, 3d_lowres or 3d_cascade_fullres")
    String configuration;

    @Parameters(index = "1", paramLabel = "TRAINER", description = "nnUNetTrainerV2, or nnUNetTrainerV2CascadeFullRes for 3d_cascade_fullres")
    String trainer;

    @Parameters(index = "2", paramLabel = "TASK", description = "Task id (4) or name (Task004_Hippocampus)")
    String task;

    @Parameters(index = "3", paramLabel = "FOLD", description = "0..4")
    int fold;

    @Option(names = "-c", description = "Continue from the latest checkpoint (model_latest), with its learning rate "
            + "and optimizer state.")
    boolean continueTraining;

    @Option(names = "-val", description = "Only validate: load model_final_checkpoint and predict the validation cases.")
    boolean validationOnly;

    @Option(names = "--valbest", description = "With -val: validate model_best instead of model_final_checkpoint.")
    boolean validateBest;

    @Option(names = "--npz", description = "Keep the validation softmax (float16 .npz), needed by "
            + "nnUNet_find_best_configuration for ensembles.")
    boolean npz;

    @Option(names = "--epochs", defaultValue = "1000", paramLabel = "N",
            description = "Epochs (nnU-Net: ${DEFAULT-VALUE}). Smaller budgets train worse models faster.")
    int epochs;

    @Option(names = "--iterations", defaultValue = "250", paramLabel = "N",
            description = "Training iterations per epoch (nnU-Net: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--val_iterations", defaultValue = "50", paramLabel = "N",
            description = "Validation batches per epoch (nnU-Net: ${DEFAULT-VALUE}).")
    int valIterations;

    @Option(names = "--save_every", defaultValue = "50", paramLabel = "N",
            description = "Epochs between model_latest checkpoints (nnU-Net: ${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--da_threads", defaultValue = "2", paramLabel = "N",
            description = "Background threads loading and augmenting batches (default ${DEFAULT-VALUE}).")
    int dataThreads;

    @Option(names = "--seed", defaultValue = "12345", description = "Seed for weights and data (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (gpu:N); gpu needs the CUDA build.")
    String device;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() throws IOException {
        TrainerSettings settings;
        try {
            settings = new TrainerSettings(configuration, fold, epochs, iterations, valIterations, saveEvery,
                    dataThreads, seed, device, npz);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!settings.trainerName().equals(trainer)) {
            throw new ParameterException(spec.commandLine(), "trainer '" + trainer + "' cannot train " + configuration
                    + ": this build trains it with " + settings.trainerName()
                    + (settings.isCascade() ? "" : " (" + TrainerSettings.CASCADE_TRAINER_NAME
                    + " is for 3d_cascade_fullres)"));
        }
        PrintWriter out = spec.commandLine().getOut();
        NnUNetPaths paths = pathOptions.paths();
        TaskName taskName = TaskName.resolve(task, paths);
        Path preprocessed = paths.preprocessedTask(taskName);
        Path foldDir = foldFolder(paths, settings, taskName);
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings, preprocessed, foldDir, line -> {
            out.println(line);
            out.flush();
        })) {
            if (validationOnly) {
                trainer.loadWeights(validateBest ? "model_best" : "model_final_checkpoint");
            } else {
                if (continueTraining) {
                    trainer.loadLatestCheckpoint();
                }
                trainer.train();
            }
            trainer.validate(preprocessed.resolve("gt_segmentations"));
            if (trainer.hasNextStage()) {
                trainer.predictNextStage();
            }
        }
        return 0;
    }

    /** {@code RESULTS_FOLDER/nnUNet/CONFIG/TaskXXX_NAME/TRAINER__nnUNetPlansv2.1/fold_N} */
    static Path foldFolder(NnUNetPaths paths, TrainerSettings settings, TaskName task) {
        return paths.requireTrainingOutput().resolve(settings.configuration()).resolve(task.fullName())
                .resolve(settings.trainerName() + "__" + TrainerSettings.PLANS_IDENTIFIER)
                .resolve("fold_" + settings.fold());
    }
}
