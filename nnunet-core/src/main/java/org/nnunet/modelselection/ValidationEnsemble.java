package org.nnunet.modelselection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nnunet.ensembling.SoftmaxEnsembler;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.postprocessing.PostprocessingDeterminer;
import org.nnunet.postprocessing.PostprocessingPlan;

/**
 * v1.7.1 {@code evaluation/model_selection/ensemble.ensemble}: the cross-validation of two models ensembled case by
 * case (mean of their {@code validation_raw/<case>.npz} softmax, fold by fold, both models must have the same cases)
 * into {@code OUT/ensembled_raw}, evaluated into its {@code summary.json} with the foreground classes, then (unless
 * {@code OUT/postprocessing.json} exists) its own postprocessing determined into {@code OUT/postprocessing.json} and
 * {@code OUT/ensembled_postprocessed}.
 */
public final class ValidationEnsemble {
    public static final String RAW = "ensembled_raw";
    public static final String POSTPROCESSED = "ensembled_postprocessed";

    private ValidationEnsemble() {}

    /** True when every fold's validation folder of the model holds the softmax ({@code --npz}) of every case. */
    public static boolean hasSoftmax(Path modelFolder, String validationFolder, List<Integer> folds)
            throws IOException {
        for (int f : folds) {
            Path val = modelFolder.resolve("fold_" + f).resolve(validationFolder);
            List<String> niftis = FolderEvaluator.niftiNames(val).stream().map(n -> n.substring(0, n.length() - 7))
                    .toList();
            if (niftis.isEmpty() || !npzIds(val).containsAll(niftis)) {
                return false;
            }
        }
        return true;
    }

    /** @param foregroundClasses v1 {@code plans['all_classes']} */
    public static EvaluationSummary ensemble(Path model1, Path model2, Path outputBase, Path gtSegmentations,
                                             String validationFolder, List<Integer> folds,
                                             List<Integer> foregroundClasses) throws IOException {
        Path out = outputBase.resolve(RAW);
        Files.createDirectories(out);
        SoftmaxEnsembler ensembler = new SoftmaxEnsembler();
        List<Path[]> pairs = new ArrayList<>();
        for (int f : folds) {
            Path v1 = model1.resolve("fold_" + f).resolve(validationFolder);
            Path v2 = model2.resolve("fold_" + f).resolve(validationFolder);
            TreeSet<String> ids1 = npzIds(v1);
            if (!ids1.equals(npzIds(v2))) {
                throw new IOException("fold " + f + ": " + v1 + " and " + v2 + " do not hold the softmax (.npz) of "
                        + "the same cases (train with --npz)");
            }
            for (String id : ensembler.merge(List.of(v1, v2), out, null, false)) {
                pairs.add(new Path[] {out.resolve(id + ".nii.gz"), gtSegmentations.resolve(id + ".nii.gz")});
            }
        }
        EvaluationSummary summary = new FolderEvaluator(new Evaluator(Evaluator.Options.v1Defaults()))
                .evaluatePairs(pairs, foregroundClasses);
        summary.write(out.resolve(FolderEvaluator.SUMMARY), outputBase.getFileName().toString(), "", "",
                "nnunet-jvm");
        if (!Files.isRegularFile(outputBase.resolve(PostprocessingPlan.FILE_NAME))) {
            new PostprocessingDeterminer(0).determineForFolder(outputBase, gtSegmentations, RAW, POSTPROCESSED,
                    foregroundClasses);
        }
        return summary;
    }

    private static TreeSet<String> npzIds(Path folder) throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        if (!Files.isDirectory(folder)) {
            return ids;
        }
        try (Stream<Path> s = Files.list(folder)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz"))
                    .forEach(n -> ids.add(n.substring(0, n.length() - 4)));
        }
        return ids;
    }
}
