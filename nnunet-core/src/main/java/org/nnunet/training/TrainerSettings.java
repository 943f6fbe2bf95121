package org.nnunet.training;

/**
 * How one fold is trained. Defaults are nnUNetTrainerV2's: 1000 epochs of 250 iterations, 50 validation batches,
 * a checkpoint every 50 epochs. Smaller budgets are for machines without a GPU cluster.
 *
 * @param configuration   {@code 2d}, {@code 3d_fullres}, {@code 3d_lowres} or {@code 3d_cascade_fullres}
 * @param dataWorkers     background threads that load and augment batches (v1: nnUNet_n_proc_DA processes)
 * @param device          {@code cpu} or {@code gpu}/{@code gpu:N}
 * @param saveSoftmax     {@code --npz}: keep the validation softmax as float16 next to the predictions
 */
public record TrainerSettings(String configuration, int fold, int maxEpochs, int iterationsPerEpoch,
                              int validationBatches, int saveEvery, int dataWorkers, long seed, String device,
                              boolean saveSoftmax) {

    public static final String TRAINER_NAME = "nnUNetTrainerV2";
    public static final String PLANS_IDENTIFIER = "nnUNetPlansv2.1";
    /** v1 trains 3d_cascade_fullres with this trainer, on top of nnUNetTrainerV2's 3d_lowres predictions. */
    public static final String CASCADE_TRAINER_NAME = "nnUNetTrainerV2CascadeFullRes";
    public static final String CASCADE_CONFIGURATION = "3d_cascade_fullres";

    public TrainerSettings {
        if (!configuration.equals("2d") && !configuration.equals("3d_fullres") && !configuration.equals("3d_lowres")
                && !configuration.equals(CASCADE_CONFIGURATION)) {
            throw new IllegalArgumentException("configuration must be 2d, 3d_fullres, 3d_lowres or "
                    + "3d_cascade_fullres, got '" + configuration + "'");
        }
        if (fold < 0 || fold > 4) {
            throw new IllegalArgumentException("fold must be 0..4, got " + fold);
        }
        if (maxEpochs < 1 || iterationsPerEpoch < 1 || validationBatches < 1 || saveEvery < 1 || dataWorkers < 1) {
            throw new IllegalArgumentException("epochs, iterations, validation batches, save interval and workers "
                    + "must be positive");
        }
    }

    public static TrainerSettings nnUNetDefaults(String configuration, int fold) {
        return new TrainerSettings(configuration, fold, 1000, 250, 50, 50, 2, 12345, "cpu", false);
    }

    public boolean is2d() {
        return configuration.equals("2d");
    }

    public boolean isCascade() {
        return configuration.equals(CASCADE_CONFIGURATION);
    }

    /** The trainer class v1 uses for this configuration: nnUNetTrainerV2CascadeFullRes or nnUNetTrainerV2. */
    public String trainerName() {
        return isCascade() ? CASCADE_TRAINER_NAME : TRAINER_NAME;
    }
}
