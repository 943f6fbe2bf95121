package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.cropping.CroppedCase;
import org.nnunet.cropping.ImageCropper;
import org.nnunet.cropping.RawCase;
import org.nnunet.evaluation.CaseScores;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.postprocessing.PostprocessingPlan;
import org.nnunet.preprocessing.CasePreprocessor;
import org.nnunet.preprocessing.CtIntensities;
import org.nnunet.preprocessing.NormalizationScheme;
import org.nnunet.preprocessing.PreprocessedCase;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.preprocessing.PreprocessingConfig;

/**
 * A real Hippocampus case through crop -> preprocess -> sliding window -> export with an oracle "network" that turns
 * the preprocessed label (fed as the input channel) into confident logits: the exported segmentation must come back
 * on the original grid and geometry, exactly when nothing is resampled, closely when it is.
 */
class HippocampusRoundTripTest {

    /** Logits 10 * one-hot of the input value (the label). */
    static final PatchPredictor ORACLE = new PatchPredictor() {
        @Override
        public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
            float[] out = new float[3 * patch.length];
            for (int i = 0; i < patch.length; i++) {
                int l = Math.max(0, Math.round(patch[i]));
                out[l * patch.length + i] = 10;
            }
            return out;
        }

        @Override
        public int numClasses() {
            return 3;
        }
    };

    private static Path caseDir() {
        Path d = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isDirectory(d), "shared Hippocampus data not found at " + d);
        return d;
    }

    private static LabelVolume roundTrip(Path dir, int[] transposeForward, double[] targetSpacing, int[] patch)
            throws IOException {
        Path data = caseDir();
        RawCase raw = new RawCase("hippocampus_001", List.of(data.resolve("imagesTr/hippocampus_001.nii.gz")),
                data.resolve("labelsTr/hippocampus_001.nii.gz"));
        CroppedCase cropped = ImageCropper.loadAndCrop(raw);
        PreprocessingConfig config = new PreprocessingConfig(new NormalizationScheme[] {NormalizationScheme.NON_CT},
                new boolean[] {false}, new CtIntensities[] {null}, transposeForward, new int[] {1, 2});
        PreprocessedCase pre = new CasePreprocessor(config).preprocess(
                cropped.channels().toArray(new float[0][]), cropped.seg().clone(), cropped.shape(),
                cropped.properties().originalSpacing(), targetSpacing, false);
        int[] backward = new int[3];
        for (int i = 0; i < 3; i++) {
            backward[transposeForward[i]] = i;
        }
        CasePredictor predictor = new CasePredictor(new FoldEnsemblePredictor(List.of(new SlidingWindowPredictor(
                ORACLE, patch, SlidingWindowPredictor.Settings.defaults(3)))),
                new SegmentationExporter(new V1SoftmaxResampler()), backward, null);
        Path out = dir.resolve("hippocampus_001.nii.gz");
        predictor.predict(new float[][] {pre.seg()}, pre.shape(),
                ExportProperties.of(cropped.properties(), pre.spacing()), out, true);
        assertTrue(Files.isRegularFile(dir.resolve("hippocampus_001.npz")));
        return LabelVolume.of(NiftiIO.read(out));
    }

    @Test
    @DisplayName("predict_cases round trip without resampling: the exported segmentation is the original label")
    void exactWithoutResampling(@TempDir Path dir) throws IOException {
        Volume label = NiftiIO.read(caseDir().resolve("labelsTr/hippocampus_001.nii.gz"));
        LabelVolume seg = roundTrip(dir, new int[] {0, 1, 2}, label.geometry().spacingZYX(), new int[] {24, 32, 24});
        assertArrayEquals(label.shape(), seg.shape());
        assertTrue(label.geometry().approximatelyEquals(seg.geometry(), 1e-5));
        assertArrayEquals(LabelVolume.of(label).labels(), seg.labels());
    }

    @Test
    @DisplayName("predict_cases round trip with transpose [2, 0, 1] and 1.4 mm resampling: Dice > 0.85 per class")
    void closeWithResampling(@TempDir Path dir) throws IOException {
        Volume label = NiftiIO.read(caseDir().resolve("labelsTr/hippocampus_001.nii.gz"));
        LabelVolume seg = roundTrip(dir, new int[] {2, 0, 1}, new double[] {1.4, 1.4, 1.4}, new int[] {16, 24, 16});
        assertArrayEquals(label.shape(), seg.shape());
        CaseScores s = new Evaluator(Evaluator.Options.v1Defaults()).evaluate(seg, LabelVolume.of(label),
                List.of(1, 2), "pred", "ref");
        assertTrue(s.dice(1) > 0.85 && s.dice(1) < 1, "Dice 1 = " + s.dice(1));
        assertTrue(s.dice(2) > 0.85 && s.dice(2) < 1, "Dice 2 = " + s.dice(2));
    }

    @Test
    @DisplayName("nnUNetTrainer.validate: validation_raw niftis + npz, summary.json (labels 0..2), postprocessing.json")
    void foldValidation(@TempDir Path dir) throws IOException {
        Path data = caseDir();
        PreprocessingConfig config = new PreprocessingConfig(new NormalizationScheme[] {NormalizationScheme.NON_CT},
                new boolean[] {false}, new CtIntensities[] {null}, new int[] {0, 1, 2}, new int[] {1, 2});
        PreprocessedDataFolder folder = new PreprocessedDataFolder(dir.resolve("nnUNetData_plans_v2.1_stage0"));
        Path gt = Files.createDirectories(dir.resolve("gt_segmentations"));
        List<String> ids = List.of("hippocampus_001", "hippocampus_003");
        for (String id : ids) {
            CroppedCase cropped = ImageCropper.loadAndCrop(new RawCase(id,
                    List.of(data.resolve("imagesTr/" + id + ".nii.gz")), data.resolve("labelsTr/" + id + ".nii.gz")));
            PreprocessedCase pre = new CasePreprocessor(config).preprocess(
                    cropped.channels().toArray(new float[0][]), cropped.seg().clone(), cropped.shape(),
                    cropped.properties().originalSpacing(), cropped.properties().originalSpacing(), false);
            // the oracle network reads the label from the image channel
            PreprocessedCase labelAsImage = new PreprocessedCase(new float[][] {pre.seg()}, pre.seg(), pre.shape(),
                    pre.spacing(), pre.classLocations());
            folder.write(id, labelAsImage, new ObjectMapper().valueToTree(cropped.properties()));
            Files.copy(data.resolve("labelsTr/" + id + ".nii.gz"), gt.resolve(id + ".nii.gz"));
        }
        Path fold = dir.resolve("fold_0");
        EvaluationSummary s = new FoldValidator(new SlidingWindowPredictor(ORACLE, new int[] {24, 32, 24},
                SlidingWindowPredictor.Settings.defaults(3)), null, new V1SoftmaxResampler())
                .validate(folder, ids, gt, fold, "validation_raw", 3, true, true);
        assertEquals(1.0, s.meanDice(1), 1e-12);
        assertEquals(1.0, s.meanDice(2), 1e-12);
        assertEquals(1.0, s.meanDice(0), 1e-12);
        assertTrue(Files.isRegularFile(fold.resolve("validation_raw/hippocampus_003.npz")));
        assertTrue(Files.isRegularFile(fold.resolve("validation_raw/summary.json")));
        PostprocessingPlan pp = PostprocessingPlan.read(fold.resolve("postprocessing.json"));
        assertEquals(List.of(), pp.forWhichClasses(), "nothing to improve on a perfect prediction");
        assertEquals(2, pp.numSamples());
        assertTrue(Files.isRegularFile(fold.resolve("validation_raw_postprocessed/summary.json")));
    }
}
