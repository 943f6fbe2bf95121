package org.nnunet.postprocessing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * Applies a {@link PostprocessingPlan} to segmentations, v1.7.1 {@code load_remove_save} /
 * {@code apply_postprocessing_to_folder}: the voxel volume is the product of the image spacing.
 */
public final class Postprocessor {
    private final PostprocessingPlan plan;

    public Postprocessor(PostprocessingPlan plan) {
        this.plan = plan;
    }

    public LabelVolume apply(LabelVolume seg) {
        if (plan.forWhichClasses().isEmpty()) {
            return seg;
        }
        return seg.withLabels(LargestComponentFilter.apply(seg.labels(), seg.shape(), plan.forWhichClasses(),
                seg.voxelVolume(), plan.minValidObjectSizes()).labels());
    }

    /** Postprocesses every {@code .nii.gz} of {@code input} into {@code output} (same names, uint8). */
    public void applyToFolder(Path input, Path output) throws IOException {
        Files.createDirectories(output);
        for (String name : FolderEvaluator.niftiNames(input)) {
            LabelVolume seg = LabelVolume.of(NiftiIO.read(input.resolve(name)));
            NiftiIO.write(apply(seg).toVolume(), NiftiDataType.UINT8, output.resolve(name));
        }
    }
}
