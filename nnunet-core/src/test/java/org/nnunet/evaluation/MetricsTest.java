package org.nnunet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.image.ImageGeometry;

/** Hand-computed values of v1.7.1 evaluation/metrics.py on a 10-voxel line. */
class MetricsTest {
    static final int[] REF = {0, 1, 1, 1, 1, 0, 0, 2, 2, 0};
    static final int[] TEST = {0, 0, 1, 1, 1, 1, 0, 2, 0, 0};

    static LabelVolume line(int[] labels) {
        return new LabelVolume(new int[] {1, 1, labels.length}, labels, ImageGeometry.identity(new double[] {1, 1, 2}));
    }

    @Test
    @DisplayName("metrics.py: TP 3 FP 1 FN 1 TN 5 -> Dice 0.75, Jaccard 0.6, precision/recall 0.75, FPR 1/6")
    void handCaseLabel1() {
        Map<String, Number> m = new Evaluator(Evaluator.Options.all())
                .evaluate(line(TEST), line(REF), List.of(1, 2, 3), "t", "r").perLabel().get("1");
        assertEquals(0.75, m.get("Dice").doubleValue(), 1e-15);
        assertEquals(0.6, m.get("Jaccard").doubleValue(), 1e-15);
        assertEquals(0.75, m.get("Precision").doubleValue(), 1e-15);
        assertEquals(0.75, m.get("Recall").doubleValue(), 1e-15);
        assertEquals(0.8, m.get("Accuracy").doubleValue(), 1e-15);
        assertEquals(1.0 / 6, m.get("False Positive Rate").doubleValue(), 1e-15);
        assertEquals(0.25, m.get("False Negative Rate").doubleValue(), 1e-15);
        assertEquals(0.25, m.get("False Discovery Rate").doubleValue(), 1e-15);
        assertEquals(1.0 / 6, m.get("False Omission Rate").doubleValue(), 1e-15);
        assertEquals(5.0 / 6, m.get("Negative Predictive Value").doubleValue(), 1e-15);
        assertEquals(5.0 / 6, m.get("True Negative Rate").doubleValue(), 1e-15);
        assertEquals(4L, m.get("Total Positives Test"));
        assertEquals(4L, m.get("Total Positives Reference"));
        assertEquals(3L, m.get("True Positives"));
        assertEquals(1L, m.get("False Positives"));
        assertEquals(5L, m.get("True Negatives"));
        assertEquals(1L, m.get("False Negatives"));
        // voxel volume 2 * 1 * 1 mm^3
        assertEquals(8.0, m.get("Volume Test").doubleValue());
    }

    @Test
    @DisplayName("metrics.py: label 2 TP 1 FN 1 -> Dice 2/3, Jaccard 1/2, precision 1, recall 1/2")
    void handCaseLabel2() {
        Map<String, Number> m = new Evaluator(Evaluator.Options.v1Defaults())
                .evaluate(line(TEST), line(REF), List.of(2), "t", "r").perLabel().get("2");
        assertEquals(2.0 / 3, m.get("Dice").doubleValue(), 1e-15);
        assertEquals(0.5, m.get("Jaccard").doubleValue(), 1e-15);
        assertEquals(1.0, m.get("Precision").doubleValue(), 1e-15);
        assertEquals(0.5, m.get("Recall").doubleValue(), 1e-15);
        assertEquals(13, m.size(), "v1 default metric list");
    }

    @Test
    @DisplayName("metrics.py: a label absent from both -> Dice/Jaccard/precision/recall NaN; 0 (FDR 1) without nan_for_nonexisting")
    void nanRules() {
        Map<String, Number> m = new Evaluator(Evaluator.Options.all())
                .evaluate(line(TEST), line(REF), List.of(3), "t", "r").perLabel().get("3");
        assertTrue(Double.isNaN(m.get("Dice").doubleValue()));
        assertTrue(Double.isNaN(m.get("Jaccard").doubleValue()));
        assertTrue(Double.isNaN(m.get("Precision").doubleValue()));
        assertTrue(Double.isNaN(m.get("Recall").doubleValue()));
        assertTrue(Double.isNaN(m.get("False Discovery Rate").doubleValue()));
        assertTrue(Double.isNaN(m.get(Evaluator.HD95).doubleValue()));
        assertEquals(0.0, m.get("False Positive Rate").doubleValue());
        assertEquals(1.0, m.get("Accuracy").doubleValue());

        Map<String, Number> z = new Evaluator(new Evaluator.Options(false, false, false))
                .evaluate(line(TEST), line(REF), List.of(3), "t", "r").perLabel().get("3");
        assertEquals(0.0, z.get("Dice").doubleValue());
        assertEquals(1.0, z.get("False Discovery Rate").doubleValue());
        assertEquals(1.0, z.get("False Negative Rate").doubleValue());
    }

    @Test
    @DisplayName("metrics.py: prediction empty, reference not -> Dice 0, precision NaN, recall 0")
    void emptyPrediction() {
        int[] empty = new int[10];
        Map<String, Number> m = new Evaluator(Evaluator.Options.v1Defaults())
                .evaluate(line(empty), line(REF), List.of(1), "t", "r").perLabel().get("1");
        assertEquals(0.0, m.get("Dice").doubleValue());
        assertTrue(Double.isNaN(m.get("Precision").doubleValue()));
        assertEquals(0.0, m.get("Recall").doubleValue());
    }

    @Test
    @DisplayName("Evaluator.construct_labels: without labels, every value in test or reference, background included")
    void labelsFromData() {
        CaseScores s = new Evaluator(Evaluator.Options.v1Defaults()).evaluate(line(TEST), line(REF), null, "t", "r");
        assertEquals(java.util.Set.of("0", "1", "2"), s.perLabel().keySet());
    }

    @Test
    @DisplayName("aggregate_scores: per-case mean with nanmean; all-NaN stays NaN")
    void aggregateNanmean() {
        Evaluator ev = new Evaluator(Evaluator.Options.v1Defaults());
        int[] withThree = {0, 1, 1, 1, 1, 0, 0, 2, 3, 0};
        CaseScores a = ev.evaluate(line(TEST), line(REF), List.of(1, 2, 3, 4), "a", "ra");
        CaseScores b = ev.evaluate(line(withThree), line(withThree), List.of(1, 2, 3, 4), "b", "rb");
        EvaluationSummary s = EvaluationSummary.aggregate(List.of(a, b), true);
        assertEquals((0.75 + 1) / 2, s.meanDice(1), 1e-15);
        assertEquals((2.0 / 3 + 1) / 2, s.meanDice(2), 1e-15);
        assertEquals(1.0, s.meanDice(3), 1e-15, "NaN of case a ignored");
        assertTrue(Double.isNaN(s.meanDice(4)));
        assertTrue(Double.isNaN(EvaluationSummary.aggregate(List.of(a, b), false).meanDice(3)));
    }
}
