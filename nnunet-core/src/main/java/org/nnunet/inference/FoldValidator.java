package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.postprocessing.PostprocessingDeterminer;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.util.NpyArray;

/**
 * The validation of one trained fold, v1.7.1 {@code nnUNetTrainer.validate}: every validation case of the
 * preprocessed folder (channels without the segmentation) is predicted with the sliding window, its softmax turned
 * back by {@code transpose_backward} and exported to {@code fold/validation_raw/<case>.nii.gz} (with
 * {@code save_softmax} also {@code <case>.npz} + {@code <case>.json}); the folder is evaluated against
 * {@code gt_segmentations} with labels {@code 0 .. numClasses-1} into its {@code summary.json}; then
 * {@code determine_postprocessing} writes {@code fold/postprocessing.json} and {@code validation_raw_postprocessed}.
 */
public final class FoldValidator {
    private final SlidingWindowPredictor predictor;
    private final int[] transposeBackward;
    private final SegmentationExporter exporter;
    private final ExtraChannels extraChannels;

    /** Network inputs appended to a case's image channels, e.g. the cascade's previous-stage one-hot maps. */
    @FunctionalInterface
    public interface ExtraChannels {
        float[][] forCase(String caseId, int[] shape) throws IOException;
    }

    public FoldValidator(SlidingWindowPredictor predictor, int[] transposeBackward, SoftmaxResampler resampler) {
        this(predictor, transposeBackward, resampler, null);
    }

    /** nnUNetTrainerV2CascadeFullRes.validate: each case's data gets {@code extraChannels} appended. */
    public FoldValidator(SlidingWindowPredictor predictor, int[] transposeBackward, SoftmaxResampler resampler,
                         ExtraChannels extraChannels) {
        this.predictor = predictor;
        this.transposeBackward = transposeBackward == null ? null : transposeBackward.clone();
        this.exporter = new SegmentationExporter(resampler);
        this.extraChannels = extraChannels;
    }

    /**
     * @param gtSegmentations the task's {@code gt_segmentations} folder ({@code <case>.nii.gz} at original geometry)
     * @return the summary of the raw validation predictions
     */
    public EvaluationSummary validate(PreprocessedDataFolder data, List<String> caseIds, Path gtSegmentations,
                                      Path foldFolder, String validationFolderName, int numClasses,
                                      boolean saveSoftmax, boolean runPostprocessing) throws IOException {
        Path out = foldFolder.resolve(validationFolderName);
        Files.createDirectories(out);
        List<Path[]> pairs = new ArrayList<>();
        for (String id : caseIds) {
            NpyArray stored = data.readData(id);
            int[] s = stored.shape();
            float[][] channels = new float[s[0] - 1][];
            for (int c = 0; c < channels.length; c++) {
                channels[c] = stored.slice(c);
            }
            int[] shape = {s[1], s[2], s[3]};
            if (extraChannels != null) {
                float[][] extra = extraChannels.forCase(id, shape);
                float[][] all = Arrays.copyOf(channels, channels.length + extra.length);
                System.arraycopy(extra, 0, all, channels.length, extra.length);
                channels = all;
            }
            SoftmaxVolume softmax = predictor.predict(channels, shape);
            ExportProperties props = ExportProperties.read(data.propertiesFile(id));
            Path nifti = out.resolve(id + ".nii.gz");
            exporter.export(softmax, transposeBackward, props, nifti, saveSoftmax ? out.resolve(id + ".npz") : null,
                    null);
            pairs.add(new Path[] {nifti, gtSegmentations.resolve(id + ".nii.gz")});
        }
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            labels.add(c);
        }
        Evaluator evaluator = new Evaluator(Evaluator.Options.v1Defaults());
        EvaluationSummary summary = new FolderEvaluator(evaluator).evaluatePairs(pairs, labels);
        summary.write(out.resolve(FolderEvaluator.SUMMARY), foldFolder.getFileName() + " val tiled true", "", "",
                "nnunet-jvm");
        if (runPostprocessing) {
            new PostprocessingDeterminer(0).determineForFolder(foldFolder, gtSegmentations, validationFolderName,
                    validationFolderName + "_postprocessed", labels.subList(1, labels.size()));
        }
        return summary;
    }
}
