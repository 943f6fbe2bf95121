package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.TestEngine;
import org.nnunet.network.UNetArchitecture;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingStepTest {

    private static final int[][] POOLS = {{2, 2, 2}, {2, 2, 2}};
    private static final int[][] CONVS = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};

    private static GenericUNet smallNet(NDManager model) {
        GenericUNet net = new GenericUNet(new UNetArchitecture(1, 2, 4, 16, POOLS, CONVS), true);
        net.initialize(model);
        return net;
    }

    @Test
    @DisplayName("-c resume: parameters + momentum buffers saved after step 1 give the same step 2")
    void resumeFromSavedState(@TempDir Path dir) throws Exception {
        try (NDManager model = TestEngine.newManager(); NDManager batch = model.newSubManager()) {
            NDArray data = batch.randomNormal(new Shape(1, 1, 8, 8, 8));
            NDArray seg = batch.randomInteger(0, 2, new Shape(1, 1, 8, 8, 8), DataType.FLOAT32);
            DeepSupervisionLoss loss = new DeepSupervisionLoss(new DiceCELoss(false), 2);
            GenericUNet net = smallNet(model);
            float[] continued;
            try (NesterovSgd sgd = NesterovSgd.nnUNetV2(model)) {
                TrainingStep step = new TrainingStep(net, loss, sgd, model);
                step.train(data, seg);
                net.saveParameters(dir.resolve("model.params"));
                sgd.save(dir.resolve("model.optimizer"));
                step.train(data, seg);
                continued = net.getParameters().get(0).getValue().getArray().toFloatArray();
            }
            GenericUNet resumed = smallNet(model);
            resumed.loadParameters(dir.resolve("model.params"), model);
            try (NesterovSgd sgd = NesterovSgd.nnUNetV2(model)) {
                sgd.load(dir.resolve("model.optimizer"));
                new TrainingStep(resumed, loss, sgd, model).train(data, seg);
            }
            assertArrayEquals(continued, resumed.getParameters().get(0).getValue().getArray().toFloatArray(), 1e-6f);
        }
    }

    @Test
    @DisplayName("run_iteration on a small 3d U-Net: the loss falls on a fixed batch and no arrays pile up")
    void lossFallsWithoutLeak() {
        try (NDManager model = TestEngine.newManager()) {
            GenericUNet net = smallNet(model);
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
