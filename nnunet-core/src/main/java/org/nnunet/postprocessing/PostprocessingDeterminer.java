package org.nnunet.postprocessing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnunet.evaluation.CaseScores;
import org.nnunet.evaluation.EvaluationSummary;
import org.nnunet.evaluation.Evaluator;
import org.nnunet.evaluation.FolderEvaluator;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.nifti.NiftiIO;

/**
 * v1.7.1 {@code determine_postprocessing} (default, non-advanced mode, {@code dice_threshold} 0):
 * <ol>
 *   <li>all foreground classes as one region, keep its largest component; accepted if the mean Dice of at least
 *       one class rises above raw + threshold and no class falls below raw;</li>
 *   <li>with more than one class: on the result of step 1 if accepted (else on the raw predictions), each class
 *       separately; a class is added if its mean Dice rises above the step-1 (or raw) value + threshold.</li>
 * </ol>
 * Means are v1's nanmean over cases. Each case is read once; every variant is derived from the raw prediction, so
 * no temporary folders are needed.
 */
public final class PostprocessingDeterminer {

    /** The cases of a cross-validation: raw predictions and their references, loaded one at a time. */
    public interface Cases {
        int size();

        LabelVolume prediction(int i) throws IOException;

        LabelVolume reference(int i) throws IOException;
    }

    private final double diceThreshold;
    private final Evaluator evaluator = new Evaluator(Evaluator.Options.v1Defaults());

    public PostprocessingDeterminer(double diceThreshold) {
        this.diceThreshold = diceThreshold;
    }

    /** @param classes foreground classes (v1: the non-zero labels of the raw summary.json) */
    public PostprocessingPlan determine(Cases cases, List<Integer> classes, String rawName, String finalName)
            throws IOException {
        Region foreground = Region.joint(classes);
        List<Region> perClass = new ArrayList<>();
        classes.forEach(c -> perClass.add(Region.single(c)));
        List<CaseScores> raw = new ArrayList<>();
        List<CaseScores> ppAll = new ArrayList<>();
        List<CaseScores> perClassOnRaw = new ArrayList<>();
        List<CaseScores> perClassOnPpAll = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            LabelVolume pred = cases.prediction(i);
            LabelVolume ref = cases.reference(i);
            double vpv = pred.voxelVolume();
            LabelVolume fg = pred.withLabels(LargestComponentFilter.apply(pred.labels(), pred.shape(),
                    List.of(foreground), vpv, null).labels());
            raw.add(evaluator.evaluate(pred, ref, classes, null, null));
            ppAll.add(evaluator.evaluate(fg, ref, classes, null, null));
            if (classes.size() > 1) {
                perClassOnRaw.add(evaluator.evaluate(removeEach(pred, perClass), ref, classes, null, null));
                perClassOnPpAll.add(evaluator.evaluate(removeEach(fg, perClass), ref, classes, null, null));
            }
        }
        EvaluationSummary rawSummary = EvaluationSummary.aggregate(raw, true);
        EvaluationSummary ppAllSummary = EvaluationSummary.aggregate(ppAll, true);

        List<Region> chosen = new ArrayList<>();
        Map<String, Double> dcRaw = new LinkedHashMap<>();
        Map<String, Double> dcPpAll = new LinkedHashMap<>();
        Map<String, Double> dcPerClass = new LinkedHashMap<>();
        boolean anyBetter = false;
        boolean anyWorse = false;
        for (int c : classes) {
            double before = rawSummary.meanDice(c);
            double after = ppAllSummary.meanDice(c);
            dcRaw.put(String.valueOf(c), before);
            dcPpAll.put(String.valueOf(c), after);
            anyBetter |= after > before + diceThreshold;
            anyWorse |= after < before;
        }
        boolean doForeground = anyBetter && !anyWorse;
        if (doForeground) {
            chosen.add(foreground);
        }
        if (classes.size() > 1) {
            EvaluationSummary old = doForeground ? ppAllSummary : rawSummary;
            EvaluationSummary pp = EvaluationSummary.aggregate(doForeground ? perClassOnPpAll : perClassOnRaw, true);
            for (int c : classes) {
                double after = pp.meanDice(c);
                dcPerClass.put(String.valueOf(c), after);
                if (after > old.meanDice(c) + diceThreshold) {
                    chosen.add(Region.single(c));
                }
            }
        }
        return new PostprocessingPlan(chosen, null, dcRaw, dcPpAll, dcPerClass, cases.size(), rawName, finalName);
    }

    private static LabelVolume removeEach(LabelVolume seg, List<Region> regions) {
        return seg.withLabels(LargestComponentFilter.apply(seg.labels(), seg.shape(), regions, seg.voxelVolume(),
                null).labels());
    }

    /**
     * The folder form of v1: raw predictions in {@code base/rawSubfolder}, references in {@code gtFolder} (same
     * file names); writes {@code base/postprocessing.json}, the postprocessed predictions to
     * {@code base/finalSubfolder} and their {@code summary.json}.
     */
    public PostprocessingPlan determineForFolder(Path base, Path gtFolder, String rawSubfolder, String finalSubfolder,
                                                 List<Integer> classes) throws IOException {
        Path rawFolder = base.resolve(rawSubfolder);
        List<String> names = FolderEvaluator.niftiNames(rawFolder);
        Cases cases = new Cases() {
            @Override
            public int size() {
                return names.size();
            }

            @Override
            public LabelVolume prediction(int i) throws IOException {
                return LabelVolume.of(NiftiIO.read(rawFolder.resolve(names.get(i))));
            }

            @Override
            public LabelVolume reference(int i) throws IOException {
                return LabelVolume.of(NiftiIO.read(gtFolder.resolve(names.get(i))));
            }
        };
        PostprocessingPlan plan = determine(cases, classes, rawSubfolder, finalSubfolder);
        plan.write(base.resolve(PostprocessingPlan.FILE_NAME));
        Path finalFolder = base.resolve(finalSubfolder);
        new Postprocessor(plan).applyToFolder(rawFolder, finalFolder);
        List<Path[]> pairs = new ArrayList<>();
        for (String n : names) {
            pairs.add(new Path[] {finalFolder.resolve(n), gtFolder.resolve(n)});
        }
        new FolderEvaluator(evaluator).evaluatePairs(pairs, classes)
                .write(finalFolder.resolve(FolderEvaluator.SUMMARY), "", "", "", "nnunet-jvm");
        return plan;
    }
}
