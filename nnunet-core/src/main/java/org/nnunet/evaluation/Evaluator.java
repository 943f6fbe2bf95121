package org.nnunet.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-case, per-label metrics, v1.7.1 {@code evaluation/evaluator.py Evaluator} / {@code NiftiEvaluator}: for each
 * label l the masks {@code test == l} and {@code reference == l} are compared with the {@link Metric}s; the voxel
 * spacing is the test image's.
 *
 * <p>Beyond v1's default list we add (see {@link Options}): "Hausdorff Distance 95" (v1 has it as an "advanced"
 * metric that its {@code aggregate_scores} does not compute by default; same NaN rule: NaN when either mask is empty
 * or fills the image), and the raw counts and volumes: "True Positives", "False Positives", "True Negatives",
 * "False Negatives", "Volume Test", "Volume Reference" (mm^3).
 */
public final class Evaluator {
    public static final String HD95 = "Hausdorff Distance 95";

    /**
     * @param nanForNonexisting v1 {@code nan_for_nonexisting} (default true)
     * @param hausdorff95       also compute the 95% Hausdorff distance
     * @param countsAndVolumes  also report TP/FP/TN/FN and the volumes of test and reference
     */
    public record Options(boolean nanForNonexisting, boolean hausdorff95, boolean countsAndVolumes) {
        public static Options all() {
            return new Options(true, true, true);
        }

        /** Exactly v1's default metric list (what {@code determine_postprocessing} needs). */
        public static Options v1Defaults() {
            return new Options(true, false, false);
        }
    }

    private final Options options;

    public Evaluator(Options options) {
        this.options = options;
    }

    /**
     * @param labels labels to evaluate; null = every value present in test or reference (v1 {@code construct_labels})
     */
    public CaseScores evaluate(LabelVolume test, LabelVolume reference, List<Integer> labels, String testName,
                               String referenceName) {
        if (!Arrays.equals(test.shape(), reference.shape())) {
            throw new IllegalArgumentException("shape mismatch: test " + testName + " "
                    + Arrays.toString(test.shape()) + ", reference " + referenceName + " "
                    + Arrays.toString(reference.shape()));
        }
        List<Integer> ls = labels != null ? labels : presentLabels(test.labels(), reference.labels());
        Map<String, Map<String, Number>> out = new LinkedHashMap<>();
        for (int l : ls) {
            out.put(String.valueOf(l), evaluateLabel(test, reference, l));
        }
        return new CaseScores(out, testName, referenceName);
    }

    Map<String, Number> evaluateLabel(LabelVolume test, LabelVolume reference, int label) {
        ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), reference.labels(), label);
        Map<String, Number> m = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            m.put(metric.key, metric.compute(cm, options.nanForNonexisting()));
        }
        if (options.hausdorff95()) {
            m.put(HD95, hausdorff95(cm, test, reference, label));
        }
        if (options.countsAndVolumes()) {
            double vv = test.voxelVolume();
            m.put("True Positives", cm.tp());
            m.put("False Positives", cm.fp());
            m.put("True Negatives", cm.tn());
            m.put("False Negatives", cm.fn());
            m.put("Volume Test", (cm.tp() + cm.fp()) * vv);
            m.put("Volume Reference", (cm.tp() + cm.fn()) * vv);
        }
        return m;
    }

    private double hausdorff95(ConfusionMatrix cm, LabelVolume test, LabelVolume reference, int label) {
        if (cm.testEmpty() || cm.testFull() || cm.referenceEmpty() || cm.referenceFull()) {
            return options.nanForNonexisting() ? Double.NaN : 0;
        }
        return SurfaceDistance.hausdorff95(mask(test.labels(), label), mask(reference.labels(), label),
                test.shape(), test.geometry().spacingZYX());
    }

    private static boolean[] mask(int[] labels, int label) {
        boolean[] m = new boolean[labels.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = labels[i] == label;
        }
        return m;
    }

    private static List<Integer> presentLabels(int[] a, int[] b) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int v : a) {
            s.add(v);
        }
        for (int v : b) {
            s.add(v);
        }
        return new ArrayList<>(s);
    }
}
