package org.nnunet.modelselection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.postprocessing.PostprocessingDeterminer;
import org.nnunet.postprocessing.PostprocessingPlan;

/**
 * v1.7.1 {@code postprocessing/consolidate_postprocessing.consolidate_folds}: the {@code validation_raw} predictions
 * of all folds of a model folder are copied into {@code cv_niftis_raw} (replaced if present), which must then hold as
 * many cases as {@code gt_niftis}; they are evaluated into {@code cv_niftis_raw/summary.json} with the labels of
 * fold 0's summary, and {@code determine_postprocessing} on these pooled folds writes the model folder's
 * {@code postprocessing.json} (the one {@code nnUNet_predict} applies) and {@code cv_niftis_postprocessed}.
 *
 * <p>Our trainer does not write {@code gt_niftis} into the model folder as v1's {@code validate} does, so it is
 * filled here from {@code nnUNet_preprocessed/TASK/gt_segmentations}. v1 passes (gt, prediction) pairs to
 * {@code aggregate_scores}, swapping precision and recall in that summary; we pass (prediction, gt) (Dice is the
 * same).
 */
public final class FoldConsolidation {
    public static final String CV_RAW = "cv_niftis_raw";
    public static final String CV_POSTPROCESSED = "cv_niftis_postprocessed";
    public static final String GT_NIFTIS = "gt_niftis";

    private FoldConsolidation() {}

    /**
     * @param modelFolder     {@code .../CONFIG/TASK/nnUNetTrainerV2__nnUNetPlansv2.1}
     * @param gtSegmentations {@code nnUNet_preprocessed/TASK/gt_segmentations}
     * @return the summary of the pooled raw cross-validation predictions
     */
    public static EvaluationSummary consolidate(Path modelFolder, Path gtSegmentations, String validationFolder,
                                                List<Integer> folds, Consumer<String> log) throws IOException {
        Path raw = modelFolder.resolve(CV_RAW);
        deleteRecursively(raw);
        Files.createDirectories(raw);
        Path gt = modelFolder.resolve(GT_NIFTIS);
        copyNiftis(gtSegmentations, gt);
        for (int f : folds) {
            Path val = modelFolder.resolve("fold_" + f).resolve(validationFolder);
            if (!Files.isRegularFile(val.resolve(FolderEvaluator.SUMMARY))) {
                throw new IOException(val.resolve(FolderEvaluator.SUMMARY) + " missing: fold " + f
                        + " is not trained and validated (nnUNet_train ... " + f + ")");
            }
            copyNiftis(val, raw);
        }
        List<String> cases = FolderEvaluator.niftiNames(raw);
        int numGt = FolderEvaluator.niftiNames(gt).size();
        if (cases.size() != numGt) {
            throw new IOException(raw + " holds " + cases.size() + " cases but " + gt + " " + numGt
                    + ": it does not seem like you trained all the folds! Train all folds first!");
        }
        EvaluationSummary fold0 = EvaluationSummary.read(modelFolder.resolve("fold_" + folds.get(0))
                .resolve(validationFolder).resolve(FolderEvaluator.SUMMARY));
        List<Integer> classes = fold0.mean().keySet().stream().filter(k -> k.matches("-?\\d+"))
                .map(Integer::parseInt).sorted().toList();
        List<Path[]> pairs = new ArrayList<>();
        for (String c : cases) {
            pairs.add(new Path[] {raw.resolve(c), gt.resolve(c)});
        }
        EvaluationSummary summary = new FolderEvaluator(new Evaluator(Evaluator.Options.v1Defaults()))
                .evaluatePairs(pairs, classes);
        summary.write(raw.resolve(FolderEvaluator.SUMMARY), modelFolder.getFileName() + " " + CV_RAW, "", "",
                "nnunet-jvm");
        log.accept(String.format("consolidated %d folds (%d cases) of %s: mean foreground Dice %.4f", folds.size(),
                cases.size(), modelFolder, ModelSelection.foregroundMeanDice(summary)));
        PostprocessingPlan pp = new PostprocessingDeterminer(0).determineForFolder(modelFolder, gt, CV_RAW,
                CV_POSTPROCESSED, classes.stream().filter(c -> c != 0).toList());
        log.accept("postprocessing (largest component) for " + pp.forWhichClasses() + " -> "
                + modelFolder.resolve(PostprocessingPlan.FILE_NAME));
        return summary;
    }

    static void copyNiftis(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String n : FolderEvaluator.niftiNames(from)) {
            Files.copy(from.resolve(n), to.resolve(n), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
