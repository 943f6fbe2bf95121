package org.nnunet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnunet.dataset.NnUNetPaths;
import org.nnunet.dataset.TaskName;
import org.nnunet.inference.ModelPredictor;
import org.nnunet.training.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * nnU-Net v1 {@code nnUNet_predict} (inference/predict_simple.py): predicts every {@code CASE_XXXX.nii.gz} case of
 * the input folder with the trained folds of {@code RESULTS_FOLDER/nnUNet/CONFIG/TASK/TRAINER__PLANS}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predicts a folder of CASE_XXXX.nii.gz images with a trained model (mean softmax of its folds, "
                + "mirroring TTA, postprocessing.json of the model folder).")
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--input_folder"}, required = true, description = "Folder of CASE_XXXX.nii.gz files.")
    Path input;

    @Option(names = {"-o", "--output_folder"}, required = true, description = "Where the segmentations go.")
    Path output;

    @Option(names = {"-t", "--task_name"}, required = true, description = "Task id (4) or name (Task004_Hippocampus).")
    String task;

    @Option(names = {"-m", "--model"}, defaultValue = "3d_fullres",
            description = "2d, 3d_lowres or 3d_fullres (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = {"-f", "--folds"}, arity = "1..*",
            description = "Folds to use (default / 'all': every fold_N folder of the model).")
    List<String> folds;

    @Option(names = {"-tr", "--trainer_class_name"}, defaultValue = TrainerSettings.TRAINER_NAME,
            description = "Trainer (only ${DEFAULT-VALUE}).")
    String trainer;

    @Option(names = {"-ctr", "--cascade_trainer_class_name"}, defaultValue = "nnUNetTrainerV2CascadeFullRes",
            description = "Accepted for v1 compatibility (the cascade is not available).")
    String cascadeTrainer;

    @Option(names = {"-p", "--plans_identifier"}, defaultValue = TrainerSettings.PLANS_IDENTIFIER,
            description = "Plans identifier (only ${DEFAULT-VALUE}).")
    String plansIdentifier;

    @Option(names = {"-z", "--save_npz"}, description = "Also save the softmax (float16 .npz), for nnUNet_ensemble.")
    boolean saveNpz;

    @Option(names = "--disable_tta", description = "No mirroring test-time augmentation (8x faster in 3D).")
    boolean disableTta;

    @Option(names = "--step_size", defaultValue = "0.5", description = "Sliding-window step (default ${DEFAULT-VALUE}).")
    double stepSize;

    @Option(names = {"-chk"}, defaultValue = "model_final_checkpoint",
            description = "Checkpoint name (default ${DEFAULT-VALUE}; model_best).")
    String checkpoint;

    @Option(names = "--disable_postprocessing", description = "Do not apply the model's postprocessing.json.")
    boolean disablePostprocessing;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() throws Exception {
        if (!TrainerSettings.TRAINER_NAME.equals(trainer)) {
            throw new ParameterException(spec.commandLine(), "unknown trainer '" + trainer + "': this build has "
                    + TrainerSettings.TRAINER_NAME);
        }
        if (!TrainerSettings.PLANS_IDENTIFIER.equals(plansIdentifier)) {
            throw new ParameterException(spec.commandLine(), "unknown plans '" + plansIdentifier + "': this build has "
                    + TrainerSettings.PLANS_IDENTIFIER);
        }
        PrintWriter out = spec.commandLine().getOut();
        NnUNetPaths paths = pathOptions.paths();
        TaskName taskName = TaskName.resolve(task, paths);
        Path modelFolder = modelFolder(paths, model, taskName);
        ModelPredictor.Options options = new ModelPredictor.Options(parseFolds(), checkpoint, stepSize, !disableTta,
                saveNpz, !disablePostprocessing);
        try (ModelPredictor predictor = ModelPredictor.fromModelFolder(paths.preprocessedTask(taskName), model, modelFolder,
                options, line -> {
                    out.println(line);
                    out.flush();
                })) {
            List<Path> written = predictor.predictFolder(input, output);
            out.println("wrote " + written.size() + " segmentations to " + output);
        }
        out.flush();
        return 0;
    }

    private List<Integer> parseFolds() {
        if (folds == null || (folds.size() == 1 && folds.get(0).equals("all"))) {
            return null;
        }
        List<Integer> f = new ArrayList<>();
        for (String s : folds) {
            try {
                f.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "fold '" + s + "' is not a number (or 'all')");
            }
        }
        return f;
    }

    /** {@code RESULTS_FOLDER/nnUNet/CONFIG/TaskXXX_NAME/nnUNetTrainerV2__nnUNetPlansv2.1} */
    static Path modelFolder(NnUNetPaths paths, String configuration, TaskName task) {
        return paths.requireTrainingOutput().resolve(configuration).resolve(task.fullName())
                .resolve(TrainerSettings.TRAINER_NAME + "__" + TrainerSettings.PLANS_IDENTIFIER);
    }
}
