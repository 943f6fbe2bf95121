package org.nnunet.training;

import ai.djl.ndarray.NDArray;
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

class DeepSupervisionTargetsTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TestEngine.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    @DisplayName("deep_supervision_scales = [1] + 1/cumprod(pools)[:-1]: factors per output")
    void factors() {
        int[][] pools = {{1, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        assertArrayEquals(new int[][] {{1, 1, 1}, {1, 2, 2}, {2, 4, 4}}, DeepSupervisionTargets.factors(pools));
    }

    @Test
    @DisplayName("downsample_seg_for_ds_transform2 (order 0) equals skimage resize order 0, odd sizes included")
    void matchesSkimage() throws Exception {
        int[][] pools = {{1, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        Shape shape = new Shape(2, 1, 7, 10, 9);
        float[] seg = new float[(int) shape.size()];
        Random rnd = new Random(3);
        for (int i = 0; i < seg.length; i++) {
            seg[i] = rnd.nextInt(3);
        }
        // batchgenerators resize_segmentation(order=0) = skimage resize(seg.astype(float), shape, order=0,
        // mode='edge', clip=True, anti_aliasing=False), new shape = np.round(shape * scale)
        String script = """
                import sys, json
                import numpy as np
                from skimage.transform import resize
                d = json.load(sys.stdin)
                seg = np.array(d['seg'], dtype=float).reshape(d['shape'])
                out = []
                for s in ([1, 0.5, 0.5], [0.5, 0.25, 0.25]):
                    new = np.round(np.array(seg.shape[2:]) * np.array(s)).astype(int)
                    r = np.zeros(list(seg.shape[:2]) + list(new))
                    for b in range(seg.shape[0]):
                        r[b, 0] = resize(seg[b, 0], new, order=0, mode='edge', clip=True, anti_aliasing=False)
                    out.append({'shape': list(r.shape), 'data': r.ravel().tolist()})
                print(json.dumps(out))
                """;
        String json = new ObjectMapper().writeValueAsString(Map.of("seg", seg, "shape", shape.getShape()));
        Level[] expected = new ObjectMapper().readValue(PythonReference.run(script, json), Level[].class);
        try (NDManager m = manager.newSubManager()) {
            List<NDArray> levels = DeepSupervisionTargets.downsample(m.create(seg, shape), pools, m);
            assertEquals(3, levels.size());
            assertEquals(shape, levels.get(0).getShape());
            assertEquals(new Shape(2, 1, 7, 5, 4), levels.get(1).getShape()); // round(4.5) = 4, half to even
            assertEquals(new Shape(2, 1, 4, 2, 2), levels.get(2).getShape());
            for (int i = 1; i < 3; i++) {
                assertArrayEquals(expected[i - 1].shape(), levels.get(i).getShape().getShape());
                float[] actual = levels.get(i).toFloatArray();
                for (int j = 0; j < actual.length; j++) {
                    assertEquals(expected[i - 1].data()[j], actual[j], 0, "level " + i + " voxel " + j);
                }
            }
        }
    }

    record Level(long[] shape, double[] data) {
    }
}
