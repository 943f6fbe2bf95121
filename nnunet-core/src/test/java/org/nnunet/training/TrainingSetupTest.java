package org.nnunet.training;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.network.TestEngine;
import org.nnunet.planning.Plans;
import org.nnunet.planning.StagePlan;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TrainingSetupTest {

    @Test
    @DisplayName("nnUNetTrainerV2.initialize for the Hippocampus 3d_fullres plan: network, sample Dice, DS weights, lr")
    void hippocampus3dFullres() {
        StagePlan stage = new StagePlan(9, new int[] {3, 3, 3}, new int[] {40, 56, 40}, null, null, null, false,
                new int[][] {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}}, new int[][] {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}});
        Plans plans = new Plans(1, 1, null, null, null, null, null, null, null, 2, new int[] {1, 2}, 32, null, null,
                null, "nnUNetData_plans_v2.1", Map.of(0, stage), null, 2);
        try (NDManager model = TestEngine.newManager();
             TrainingSetup setup = TrainingSetup.forPlans(plans, "3d_fullres", model)) {
            assertEquals(5_602_944L, setup.network().parameterCount()); // see GenericUNetTest
            assertEquals(3, setup.network().architecture().numClasses());
            assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0, 0}, setup.loss().weights(), 1e-12);
            assertFalse(setup.loss().outputLoss().batchDice(), "one stage: sample Dice");
            setup.startEpoch(500);
            assertEquals(0.01 * Math.pow(0.5, 0.9), setup.optimizer().learningRate(), 1e-15);
        }
    }
}
