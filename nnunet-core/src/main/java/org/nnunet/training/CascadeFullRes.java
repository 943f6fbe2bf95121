package org.nnunet.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.augmentation.AugmentationPipeline;
import org.nnunet.dataloading.PreprocessedDataset;
import org.nnunet.dataloading.PreviousStageSegmentations;
import org.nnunet.inference.FoldValidator;
import org.nnunet.util.MappedNpy;

/**
 * What v1.7.1 nnUNetTrainerV2CascadeFullRes adds to nnUNetTrainerV2 for {@code 3d_cascade_fullres} (the trainer
 * delegates here): the full-resolution stage's data plus the 3d_lowres segmentation of each case from
 * {@code pred_next_stage} (refused, naming the folder, when missing), that segmentation carried as second seg channel
 * by the data loader and turned into one-hot input channels by the augmentation (with the cascade augmentations),
 * and the same one-hot channels appended to every validation case. The network's extra input channels come from
 * {@link org.nnunet.network.UNetArchitecture#fromPlans}.
 */
final class CascadeFullRes {
    private final Path previousStageFolder;
    private final Path unpackFolder;
    private final int numClasses;

    private CascadeFullRes(Path previousStageFolder, Path unpackFolder, int numClasses) {
        this.previousStageFolder = previousStageFolder;
        this.unpackFolder = unpackFolder;
        this.numClasses = numClasses;
    }

    /**
     * v1 __init__ + do_split: the folder and a prediction for every case of the split must exist.
     *
     * @param preprocessedTaskDir v1 unpacks the predictions into its {@code segs_prev_stage}
     */
    static CascadeFullRes open(Path previousStageFolder, Path preprocessedTaskDir, List<String> cases,
                               int numClasses) throws IOException {
        PreviousStageSegmentations.requireComplete(previousStageFolder, cases);
        return new CascadeFullRes(previousStageFolder,
                preprocessedTaskDir.resolve(PreviousStageSegmentations.UNPACKED_FOLDER), numClasses);
    }

    Path previousStageFolder() {
        return previousStageFolder;
    }

    /** initialize(training=True): the predictions of the given cases, unpacked and memory-mapped. */
    Map<String, MappedNpy> unpack(PreprocessedDataset... datasets) throws IOException {
        Map<String, MappedNpy> all = new HashMap<>();
        for (PreprocessedDataset d : datasets) {
            all.putAll(PreviousStageSegmentations.unpack(previousStageFolder, d, unpackFolder));
        }
        return all;
    }

    AugmentationPipeline trainingTransforms(AugmentationParameters params, long seed) {
        return AugmentationPipeline.cascade(params, numClasses, seed, false);
    }

    AugmentationPipeline validationTransforms() {
        return AugmentationPipeline.cascadeValidation(numClasses);
    }

    /** validate(): {@code data[:-1]} + {@code to_one_hot(seg_from_prev_stage, range(1, num_classes))}. */
    FoldValidator.ExtraChannels validationInputs() {
        return (caseId, shape) -> {
            var seg = PreviousStageSegmentations.read(previousStageFolder, caseId);
            if (!java.util.Arrays.equals(seg.shape(), shape)) {
                throw new IOException(PreviousStageSegmentations.file(previousStageFolder, caseId) + ": shape "
                        + java.util.Arrays.toString(seg.shape()) + " differs from the case's "
                        + java.util.Arrays.toString(shape));
            }
            return PreviousStageSegmentations.oneHot(seg.data(), numClasses);
        };
    }
}
