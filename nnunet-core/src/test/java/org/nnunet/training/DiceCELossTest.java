package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.network.TestEngine;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiceCELossTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /*
     * One sample, 2 classes, 2 voxels, logits all 0 -> softmax 0.5 everywhere; target [0, 1].
     * CE = -ln 0.5 = ln 2 = 0.6931472. Dice of class 1 (background dropped): tp = 0.5, fp = 0.5, fn = 0.5,
     * dc = (2*0.5 + 1e-5) / (2*0.5 + 0.5 + 0.5 + 1e-5 + 1e-8) = 1.00001 / 2.00001001 = 0.50000250.
     * DC_and_CE_loss = ce + (-dc) = 0.19314467.
     */
    @Test
    @DisplayName("DC_and_CE_loss = CE - soft Dice (smooth 1e-5, no background), by hand")
    void handComputed() {
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = m.zeros(new Shape(1, 2, 1, 2));
            NDArray target = m.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            double expected = Math.log(2) - 1.00001 / 2.00001001;
            assertEquals(expected, new DiceCELoss(false).compute(logits, target).getFloat(), 1e-6);
            assertEquals(expected, new DiceCELoss(true).compute(logits, target).getFloat(), 1e-6);
        }
    }

    @Test
    @DisplayName("DC_and_CE_loss on random 3d logits equals a numpy transcription of v1's formula (batch and sample Dice)")
    void matchesNumpy() throws Exception {
        int n = 2;
        int c = 3;
        Shape shape = new Shape(n, c, 3, 4, 5);
        Random rnd = new Random(7);
        float[] logits = new float[(int) shape.size()];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 2);
        }
        float[] target = new float[n * 3 * 4 * 5];
        for (int i = 0; i < target.length; i++) {
            target[i] = rnd.nextInt(c);
        }
        String script = """
                import sys, json
                import numpy as np
                d = json.load(sys.stdin)
                x = np.array(d['logits'], dtype=np.float64).reshape(d['shape'])
                y = np.array(d['target']).reshape([d['shape'][0], 1] + d['shape'][2:]).astype(int)
                e = np.exp(x - x.max(1, keepdims=True)); p = e / e.sum(1, keepdims=True)
                onehot = np.zeros_like(p)
                for k in range(x.shape[1]):
                    onehot[:, k] = (y[:, 0] == k)
                ce = -np.mean(np.sum(np.log(p) * onehot, 1))
                out = []
                for batch in (False, True):
                    axes = (0, 2, 3, 4) if batch else (2, 3, 4)
                    tp = (p * onehot).sum(axes); fp = (p * (1 - onehot)).sum(axes); fn = ((1 - p) * onehot).sum(axes)
                    dc = (2 * tp + 1e-5) / (2 * tp + fp + fn + 1e-5 + 1e-8)
                    dc = dc[1:] if batch else dc[:, 1:]
                    out.append(ce - dc.mean())
                print(json.dumps(out))
                """;
        String json = new ObjectMapper().writeValueAsString(Map.of("logits", logits, "target", target,
                "shape", shape.getShape()));
        double[] expected = new ObjectMapper().readValue(PythonReference.run(script, json), double[].class);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(logits, shape);
            NDArray y = m.create(target, new Shape(n, 1, 3, 4, 5));
            assertEquals(expected[0], new DiceCELoss(false).compute(x, y).getFloat(), 1e-5);
            assertEquals(expected[1], new DiceCELoss(true).compute(x, y).getFloat(), 1e-5);
        }
    }

    @Test
    @DisplayName("loss gradients are the same with garbage collection between forward and backward")
    void gradientSurvivesGc() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.randomNormal(new Shape(2, 3, 4, 4, 4));
            NDArray x1 = m.randomNormal(new Shape(2, 3, 2, 2, 2));
            NDArray y0 = m.randomInteger(0, 3, new Shape(2, 1, 4, 4, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray y1 = m.randomInteger(0, 3, new Shape(2, 1, 2, 2, 2), ai.djl.ndarray.types.DataType.FLOAT32);
            DeepSupervisionLoss loss = new DeepSupervisionLoss(new DiceCELoss(true), 2);
            float[] reference = null;
            for (int rep = 0; rep < 10; rep++) {
                NDArray x = x0.duplicate(); // fresh leaf: libtorch would add to the previous gradient
                x.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.compute(new NDList(x, x1), List.of(y0, y1));
                    if (rep > 0) {
                        System.gc(); // would free any Java-side scalar buffers the graph still points to
                        for (int i = 0; i < 1000; i++) {
                            java.nio.ByteBuffer.allocateDirect(4).putFloat(0, Float.NaN);
                        }
                    }
                    gc.backward(l);
                }
                float[] g = x.getGradient().toFloatArray();
                if (reference == null) {
                    reference = g;
                } else {
                    assertArrayEquals(reference, g, 1e-7f, "repetition " + rep);
                }
            }
        }
    }

    @Test
    @DisplayName("batch Dice for 2d and multi-stage plans, never for 3d_lowres (default_configuration.py)")
    void batchDiceRule() {
        assertTrue(DiceCELoss.useBatchDice("2d", 1));
        assertTrue(DiceCELoss.useBatchDice("2d", 2));
        assertFalse(DiceCELoss.useBatchDice("3d_fullres", 1));
        assertTrue(DiceCELoss.useBatchDice("3d_fullres", 2));
        assertTrue(DiceCELoss.useBatchDice("3d_cascade_fullres", 2));
        assertFalse(DiceCELoss.useBatchDice("3d_lowres", 2));
        assertThrows(IllegalArgumentException.class, () -> DiceCELoss.useBatchDice("3d", 1));
    }

    @Test
    @DisplayName("MultipleOutputLoss2 weights: 1/2^i, lowest resolution zeroed, normalised")
    void deepSupervisionWeights() {
        assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0, 0}, DeepSupervisionLoss.weights(3), 1e-12);
        assertArrayEquals(new double[] {8 / 15.0, 4 / 15.0, 2 / 15.0, 1 / 15.0, 0},
                DeepSupervisionLoss.weights(5), 1e-12);
    }

    @Test
    @DisplayName("MultipleOutputLoss2 sums the weighted losses of the outputs with non-zero weight")
    void deepSupervisionSum() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x0 = m.randomNormal(new Shape(1, 3, 4, 4, 4));
            NDArray x1 = m.randomNormal(new Shape(1, 3, 2, 2, 2));
            NDArray x2 = m.randomNormal(new Shape(1, 3, 1, 1, 1));
            NDArray y0 = m.randomInteger(0, 3, new Shape(1, 1, 4, 4, 4), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray y1 = m.randomInteger(0, 3, new Shape(1, 1, 2, 2, 2), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray y2 = m.zeros(new Shape(1, 1, 1, 1, 1));
            DiceCELoss base = new DiceCELoss(false);
            double expected = 2 / 3.0 * base.compute(x0, y0).getFloat() + 1 / 3.0 * base.compute(x1, y1).getFloat();
            float actual = new DeepSupervisionLoss(base, 3).compute(new NDList(x0, x1, x2), List.of(y0, y1, y2))
                    .getFloat();
            assertEquals(expected, actual, 1e-6);
        }
    }
}
