package org.nnunet.service;

import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.training.TrainerSettings;

/**
 * Where the pipeline keeps each dataset version in the object store (one place for every service):
 *
 * <pre>
 * versions/TASK/vN/manifest.json           raw objects (key, size) the version was snapshotted from
 * versions/TASK/vN/raw/...                 immutable copy of the raw task (dataset.json, imagesTr, labelsTr)
 * versions/TASK/vN/cropped/...             nnUNet_cropped_data/TASK
 * versions/TASK/vN/preprocessed/...        nnUNet_preprocessed/TASK (plans, splits, stage folders, gt_segmentations)
 * versions/TASK/vN/training.json           configurations x folds requested (the ensemble waits for all of them)
 * versions/TASK/vN/results/CONFIG/nnUNetTrainerV2__nnUNetPlansv2.1/fold_F/   checkpoints, validation, DONE, LEASE
 * versions/TASK/vN/results/3d_lowres/nnUNetTrainerV2__nnUNetPlansv2.1/pred_next_stage/   the cascade's input
 * versions/TASK/vN/results/3d_cascade_fullres/nnUNetTrainerV2CascadeFullRes__nnUNetPlansv2.1/fold_F/
 * versions/TASK/upload-pending.json        the planner's debounce timer of a burst of uploads not yet versioned
 * models/TASK/vN/...                       the published model; models/TASK/PROMOTED points to the served one
 * </pre>
 */
public record VersionLayout(String task, String version) {

    public static final String VERSIONS = "versions/";
    public static final String MODELS = "models/";

    public static String versionsOf(String task) {
        return VERSIONS + task + "/";
    }

    /** Marker of uploads of {@code task} waiting for their quiet period to end (planner's UploadDebouncer). */
    public static String pendingUpload(String task) {
        return versionsOf(task) + "upload-pending.json";
    }

    public static String promotedKey(String task) {
        return MODELS + task + "/PROMOTED";
    }

    /** {@code vN} -> N, or -1 when the name is not a version name. */
    public static int versionNumber(String name) {
        if (name.length() < 2 || name.charAt(0) != 'v') {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String root() {
        return versionsOf(task) + version + "/";
    }

    public String manifest() {
        return root() + "manifest.json";
    }

    public String raw() {
        return root() + "raw/";
    }

    public String cropped() {
        return root() + "cropped/";
    }

    public String preprocessed() {
        return root() + "preprocessed/";
    }

    public String trainingPlan() {
        return root() + "training.json";
    }

    /** {@code TRAINER__PLANS/} of the configuration: nnUNetTrainerV2CascadeFullRes for 3d_cascade_fullres. */
    public String trainerOutput(String configuration) {
        String trainer = TrainerSettings.CASCADE_CONFIGURATION.equals(configuration)
                ? TrainerSettings.CASCADE_TRAINER_NAME : TrainerSettings.TRAINER_NAME;
        return root() + "results/" + configuration + "/" + trainer + "__" + TrainerSettings.PLANS_IDENTIFIER + "/";
    }

    /** The 3d_lowres folds' {@code pred_next_stage/<case>_segFromPrevStage.npz}, what 3d_cascade_fullres trains on. */
    public String nextStagePredictions() {
        return trainerOutput("3d_lowres") + PreviousStageSegmentations.FOLDER + "/";
    }

    public String fold(String configuration, int fold) {
        return trainerOutput(configuration) + "fold_" + fold + "/";
    }

    public String model() {
        return MODELS + task + "/" + version + "/";
    }
}
