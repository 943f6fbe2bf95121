package org.nnunet.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nnunet.nifti.NiftiIO;

/**
 * {@code nnUNet_evaluate_folder -ref REF -pred PRED -l 1 2}, v1.7.1 {@code evaluate_folder}: every {@code .nii.gz}
 * of the prediction folder must have a namesake in the reference folder and vice versa; the summary is written to
 * {@code PRED/summary.json}.
 */
public final class FolderEvaluator {
    public static final String SUMMARY = "summary.json";

    private final Evaluator evaluator;

    public FolderEvaluator(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    public EvaluationSummary evaluateFolder(Path referenceFolder, Path predictionFolder, List<Integer> labels)
            throws IOException {
        List<String> ref = niftiNames(referenceFolder);
        List<String> pred = niftiNames(predictionFolder);
        for (String p : pred) {
            if (!ref.contains(p)) {
                throw new IOException("reference " + referenceFolder.resolve(p) + " missing for prediction " + p);
            }
        }
        for (String r : ref) {
            if (!pred.contains(r)) {
                throw new IOException("prediction " + predictionFolder.resolve(r) + " missing for reference " + r);
            }
        }
        List<Path[]> pairs = new ArrayList<>();
        for (String p : pred) {
            pairs.add(new Path[] {predictionFolder.resolve(p), referenceFolder.resolve(p)});
        }
        EvaluationSummary summary = evaluatePairs(pairs, labels);
        summary.write(predictionFolder.resolve(SUMMARY), "", "", "", "nnunet-jvm");
        return summary;
    }

    /** v1 {@code aggregate_scores} over (prediction, reference) file pairs, nanmean; nothing is written. */
    public EvaluationSummary evaluatePairs(List<Path[]> predictionReferencePairs, List<Integer> labels)
            throws IOException {
        List<CaseScores> scores = new ArrayList<>();
        for (Path[] pair : predictionReferencePairs) {
            LabelVolume test = LabelVolume.of(NiftiIO.read(pair[0]));
            LabelVolume reference = LabelVolume.of(NiftiIO.read(pair[1]));
            try {
                scores.add(evaluator.evaluate(test, reference, labels, pair[0].toString(), pair[1].toString()));
            } catch (IllegalArgumentException e) {
                throw new IOException(pair[0] + " vs " + pair[1] + ": " + e.getMessage(), e);
            }
        }
        return EvaluationSummary.aggregate(scores, true);
    }

    /** Sorted {@code .nii.gz} file names of a folder (batchgenerators {@code subfiles(..., sort=True)}). */
    public static List<String> niftiNames(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + " is not a folder");
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".nii.gz")).sorted().toList();
        }
    }
}
