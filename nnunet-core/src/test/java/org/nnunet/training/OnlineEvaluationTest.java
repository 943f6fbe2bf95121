package org.nnunet.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OnlineEvaluationTest {

    @Test
    @DisplayName("run_online_evaluation: tp/fp/fn of the argmax summed over batches, global Dice 2tp/(2tp+fp+fn)")
    void globalDiceOverBatches() {
        OnlineEvaluation eval = new OnlineEvaluation(3);
        // batch of 1, 4 voxels, classes along the first axis: argmax = [0, 1, 2, 1]
        float[] logits = {
                5, 0, 0, 0,
                0, 5, 0, 5,
                0, 0, 5, 0};
        eval.add(logits, new float[] {0, 1, 1, 2}, 1);
        // class 1: predicted at voxels 1 and 3, true at 1 and 2 -> tp 1, fp 1, fn 1
        // class 2: predicted at voxel 2, true at voxel 3 -> tp 0, fp 1, fn 1
        assertArrayEquals(new double[] {2.0 / 4, 0}, eval.globalDicePerClass(), 1e-12);
        // a second batch of 2 samples: every voxel of class 2 right
        float[] two = new float[2 * 3 * 4];
        float[] target = new float[8];
        for (int b = 0; b < 2; b++) {
            for (int v = 0; v < 4; v++) {
                two[b * 12 + 2 * 4 + v] = 1;
                target[b * 4 + v] = 2;
            }
        }
        eval.add(two, target, 2);
        // class 2: tp 8, fp 1, fn 1 -> 16 / 18; class 1 unchanged
        assertArrayEquals(new double[] {0.5, 16.0 / 18}, eval.globalDicePerClass(), 1e-12);
        assertEquals((0.5 + 16.0 / 18) / 2, eval.meanForegroundDice(), 1e-12);
    }

    @Test
    @DisplayName("finish_online_evaluation: classes never predicted nor present (NaN) are left out of the mean")
    void absentClassesAreIgnored() {
        OnlineEvaluation eval = new OnlineEvaluation(3);
        eval.add(new float[] {0, 0, 1, 1, 0, 0}, new float[] {1, 1}, 1);
        assertTrue(Double.isNaN(eval.globalDicePerClass()[1]));
        assertEquals(1.0, eval.meanForegroundDice(), 1e-12);
    }

    @Test
    @DisplayName("update_eval_criterion_MA: alpha 0.9 moving average of the metric decides model_best")
    void movingAverageDecidesBest() {
        TrainingProgress p = TrainingProgress.start(0.99);
        p = p.afterEpoch(1.0, 0.9, 0.5, 0.99);
        assertEquals(0.5, p.evalCriterionMA(), 1e-12); // first epoch: MA = metric
        assertTrue(p.lastEpochWasBest());
        p = p.afterEpoch(0.8, 0.7, 0.3, 0.99);
        assertEquals(0.9 * 0.5 + 0.1 * 0.3, p.evalCriterionMA(), 1e-12); // 0.48 < 0.5: not best
        assertEquals(0, p.bestEpoch());
        p = p.afterEpoch(0.7, 0.6, 0.9, 0.99);
        assertEquals(0.9 * 0.48 + 0.1 * 0.9, p.evalCriterionMA(), 1e-12); // 0.522 > 0.5: best
        assertTrue(p.lastEpochWasBest());
        assertEquals(3, p.epoch());
        assertEquals(List.of(1.0, 0.8, 0.7), p.trainLosses());
    }
}
