package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.TestEngine;
import org.nnunet.network.UNetArchitecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingStepTest {

    @Test
    @DisplayName("run_iteration on a small 3d U-Net: the loss falls on a fixed batch and no arrays pile up")
    void lossFallsWithoutLeak() {
        try (NDManager model = TestEngine.newManager()) {
            int[][] pools = {{2, 2, 2}, {2, 2, 2}};
            int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
            GenericUNet net = new GenericUNet(new UNetArchitecture(1, 2, 4, 16, pools, convs), true);
            net.initialize(model);
            try (NesterovSgd sgd = NesterovSgd.nnUNetV2(model); NDManager batch = model.newSubManager()) {
                TrainingStep step = new TrainingStep(net,
                        new DeepSupervisionLoss(new DiceCELoss(DiceCELoss.useBatchDice("3d_fullres", 1)), 2), sgd,
                        model);
                // a bright cube labelled 1 in a dark noisy background
                NDArray seg = batch.zeros(new Shape(2, 1, 8, 8, 8));
                seg.set(new ai.djl.ndarray.index.NDIndex(":, :, 2:6, 2:6, 2:6"), 1f);
                NDArray data = seg.mul(2f).add(batch.randomNormal(0f, 0.3f, seg.getShape(), DataType.FLOAT32));
                int batchArrays = batch.getManagedArrays().size();
                float first = step.train(data, seg);

                int arraysAfterFirst = model.getManagedArrays().size();
                float last = first;
                for (int i = 0; i < 5; i++) {
                    last = step.train(data, seg);
                }
                assertTrue(last < first - 0.1, "loss " + first + " -> " + last);
                assertEquals(arraysAfterFirst, model.getManagedArrays().size(), "arrays in the model's manager");
                assertEquals(batchArrays, batch.getManagedArrays().size(), "the batch's arrays are back in their manager");
                float validation = step.validationLoss(data, seg);
                assertEquals(arraysAfterFirst, model.getManagedArrays().size());
                assertTrue(validation < first, "validation loss " + validation);
            }
        }
    }
}
