package org.nnunet.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.network.TestEngine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two scalar parameters a, b with loss L = 0.5 a^2 + 3 b, so dL/da = a and dL/db = 3. */
class NesterovSgdTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static PairList<String, Parameter> parameters(float a, float b) {
        PairList<String, Parameter> params = new PairList<>();
        for (var e : new Object[][] {{"a", a}, {"b", b}}) {
            float v = (Float) e[1];
            Parameter p = Parameter.builder().setName((String) e[0]).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(1)).optInitializer((m, s, t) -> m.create(new float[] {v})).build();
            p.initialize(manager, DataType.FLOAT32);
            params.add((String) e[0], p);
        }
        return params;
    }

    private static void backward(PairList<String, Parameter> params) {
        try (NDManager it = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray a = params.get("a").getArray();
            NDArray b = params.get("b").getArray();
            // scalars made by libtorch and kept in the iteration's manager until backward (see DeepSupervisionLoss)
            NDArray loss = a.square().mul(it.full(new Shape(1), 0.5f)).add(b.mul(it.full(new Shape(1), 3f))).sum();
            loss.attach(it);
            gc.backward(loss);
        }
    }

    private static float value(PairList<String, Parameter> params, String name) {
        return params.get(name).getArray().getFloat(0);
    }

    /*
     * lr 0.1, momentum 0.99, weight decay 0.01, a = 2, b = -1; torch SGD(nesterov=True):
     * step 1: ga = 2 + 0.01*2 = 2.02, buf_a = 2.02, d = 2.02 + 0.99*2.02 = 4.0198, a = 2 - 0.40198 = 1.59802
     *         gb = 3 - 0.01 = 2.99, buf_b = 2.99, d = 2.99*1.99 = 5.9501, b = -1 - 0.59501 = -1.59501
     * step 2: ga = 1.59802*1.01 = 1.6140002, buf_a = 0.99*2.02 + 1.6140002 = 3.6138002,
     *         d = 1.6140002 + 0.99*3.6138002 = 5.191662398, a = 1.59802 - 0.5191662398 = 1.0788537602
     *         gb = 3 - 0.0159501 = 2.9840499, buf_b = 0.99*2.99 + 2.9840499 = 5.9441499,
     *         d = 2.9840499 + 0.99*5.9441499 = 8.868758301, b = -1.59501 - 0.8868758301 = -2.4818858301
     */
    @Test
    @DisplayName("SGD(momentum, nesterov=True, weight_decay): two steps equal torch's rule by hand")
    void twoStepsByHand(@TempDir Path dir) throws Exception {
        PairList<String, Parameter> params = parameters(2f, -1f);
        try (NesterovSgd sgd = new NesterovSgd(manager, 0.1, 0.99, 0.01)) {
            backward(params);
            sgd.step(params);
            NesterovSgd.zeroGradients(params);
            assertEquals(1.59802f, value(params, "a"), 1e-6);
            assertEquals(-1.59501f, value(params, "b"), 1e-6);
            assertEquals(2.02f, sgd.momentumBuffer("a").getFloat(0), 1e-6);
            sgd.save(dir.resolve("optimizer.state"));

            backward(params);
            assertEquals(1.59802f, params.get("a").getArray().getGradient().getFloat(0), 1e-6, "zeroed, not summed");
            sgd.step(params);
            NesterovSgd.zeroGradients(params);
            assertEquals(1.0788537602f, value(params, "a"), 1e-6);
            assertEquals(-2.4818858301f, value(params, "b"), 1e-6);
        }

        // resume from the saved momentum buffers: the second step comes out the same
        PairList<String, Parameter> resumed = parameters(1.59802f, -1.59501f);
        try (NesterovSgd sgd = new NesterovSgd(manager, 0.5, 0.99, 0.01)) {
            sgd.load(dir.resolve("optimizer.state"));
            assertEquals(0.1, sgd.learningRate());
            backward(resumed);
            sgd.step(resumed);
            assertEquals(1.0788537602f, value(resumed, "a"), 1e-6);
            assertEquals(-2.4818858301f, value(resumed, "b"), 1e-6);
        }
    }

    @Test
    @DisplayName("clip_grad_norm_: global L2 norm, scaled by max/(norm + 1e-6) only above the max")
    void clipGradNorm() {
        PairList<String, Parameter> params = parameters(3f, 0f); // gradients (3, 3): norm sqrt(18)
        backward(params);
        assertEquals(Math.sqrt(18), NesterovSgd.clipGradNorm(params, 12), 1e-6);
        assertEquals(3f, params.get("a").getArray().getGradient().getFloat(0), 1e-6, "below 12: unchanged");
        assertEquals(Math.sqrt(18), NesterovSgd.clipGradNorm(params, 1), 1e-6);
        double scale = 1 / (Math.sqrt(18) + 1e-6);
        assertEquals(3 * scale, params.get("a").getArray().getGradient().getFloat(0), 1e-6);
        assertEquals(3 * scale, params.get("b").getArray().getGradient().getFloat(0), 1e-6);
        NesterovSgd.zeroGradients(params);
        assertEquals(0f, params.get("b").getArray().getGradient().getFloat(0));
    }
}
