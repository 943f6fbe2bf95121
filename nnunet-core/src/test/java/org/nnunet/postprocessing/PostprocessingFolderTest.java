package org.nnunet.postprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

class PostprocessingFolderTest {

    @Test
    @DisplayName("determine_postprocessing on folders: postprocessing.json in base, validation_final with summary.json")
    void folders(@TempDir Path base) throws IOException {
        Path raw = Files.createDirectories(base.resolve("validation_raw"));
        Path gt = Files.createDirectories(base.resolve("gt_niftis"));
        int[] ref = PostprocessingTest.empty();
        PostprocessingTest.fill(ref, 1, 1, 4, 1, 4, 1, 4);
        PostprocessingTest.fill(ref, 2, 1, 4, 4, 6, 1, 4);
        int[] pred = ref.clone();
        PostprocessingTest.fill(pred, 2, 5, 6, 7, 8, 8, 10);
        for (String c : List.of("a.nii.gz", "b.nii.gz")) {
            NiftiIO.write(PostprocessingTest.vol(ref).toVolume(), NiftiDataType.UINT8, gt.resolve(c));
        }
        NiftiIO.write(PostprocessingTest.vol(pred).toVolume(), NiftiDataType.UINT8, raw.resolve("a.nii.gz"));
        NiftiIO.write(PostprocessingTest.vol(ref).toVolume(), NiftiDataType.UINT8, raw.resolve("b.nii.gz"));

        PostprocessingPlan plan = new PostprocessingDeterminer(0).determineForFolder(base, gt, "validation_raw",
                "validation_final", List.of(1, 2));
        assertEquals(List.of(Region.joint(List.of(1, 2))), plan.forWhichClasses());
        PostprocessingPlan read = PostprocessingPlan.read(base.resolve("postprocessing.json"));
        assertEquals(plan.forWhichClasses(), read.forWhichClasses());
        assertEquals(2, read.numSamples());
        assertEquals("validation_final", read.validationFinal());
        LabelVolume fixed = LabelVolume.of(NiftiIO.read(base.resolve("validation_final").resolve("a.nii.gz")));
        assertArrayEquals(ref, fixed.labels());
        EvaluationSummary s = EvaluationSummary.read(base.resolve("validation_final").resolve("summary.json"));
        assertEquals(1.0, s.meanDice(2), 1e-12);
    }
}
