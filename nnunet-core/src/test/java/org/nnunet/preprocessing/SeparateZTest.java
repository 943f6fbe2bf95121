package org.nnunet.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** resample_patient's separate-z decision (get_do_separate_z, get_lowres_axis, the tie rule) and new shape. */
class SeparateZTest {

    @Test
    @DisplayName("anisotropic original spacing (max/min > 3): separate z along the largest spacing")
    void originalSpacingDecides() {
        assertEquals(new SeparateZ(true, 0), SeparateZ.decide(new double[] {5, 0.8, 0.8}, new double[] {1, 1, 1}, null));
        assertEquals(new SeparateZ(true, 2), SeparateZ.decide(new double[] {0.7, 0.7, 3.6}, new double[] {1, 1, 1}, null));
    }

    @Test
    @DisplayName("ratio exactly 3 is not anisotropic; then the target spacing decides")
    void targetSpacingDecides() {
        assertEquals(SeparateZ.NONE, SeparateZ.decide(new double[] {3, 1, 1}, new double[] {1, 1, 1}, null));
        assertEquals(new SeparateZ(true, 1),
                SeparateZ.decide(new double[] {1, 1, 1}, new double[] {1, 3.5, 1}, null));
    }

    @Test
    @DisplayName("tie rule: two axes share the largest spacing -> no separate z, e.g. (0.24, 1.25, 1.25)")
    void tieMeansNoSeparateZ() {
        assertEquals(SeparateZ.NONE, SeparateZ.decide(new double[] {0.24, 1.25, 1.25}, new double[] {1, 1, 1}, null));
        assertEquals(SeparateZ.NONE, SeparateZ.decide(new double[] {0.24, 1.25, 1.25}, new double[] {1, 1, 1}, true));
        assertEquals(SeparateZ.NONE, SeparateZ.decide(new double[] {5, 0.8, 0.8}, new double[] {1, 1, 1}, false));
        assertArrayEquals(new int[] {1, 2}, SeparateZ.lowResAxes(new double[] {0.24, 1.25, 1.25}));
    }

    @Test
    @DisplayName("new_shape = np.round(original / target * shape), halves to even")
    void newShape() {
        assertArrayEquals(new int[] {40, 2, 4},
                SeparateZ.newShape(new int[] {20, 5, 3}, new double[] {2, 0.5, 1.5}, new double[] {1, 1, 1}));
        // 1.25 * 2 = 2.5 -> 2 and 0.5 * 7 = 3.5 -> 4, as numpy rounds
        assertArrayEquals(new int[] {2, 4, 10},
                SeparateZ.newShape(new int[] {2, 7, 10}, new double[] {1.25, 0.5, 1}, new double[] {1, 1, 1}));
    }
}
