package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Golden steps computed with v1.7.1 {@code _compute_steps_for_sliding_window} (numpy, /usr/bin/python3). */
class SlidingWindowStepsTest {

    @Test
    @DisplayName("_compute_steps_for_sliding_window: size 100, patch 40, step 0.5 -> ceil(60/20)+1 = 4 steps")
    void handCase() {
        assertArrayEquals(new int[] {0, 20, 40, 60}, SlidingWindowSteps.compute(new int[] {40}, new int[] {100}, 0.5)[0]);
    }

    @Test
    @DisplayName("_compute_steps_for_sliding_window: v1's own examples (patch 30x224x224 in 162x529x529 ...)")
    void v1Examples() {
        int[][] s = SlidingWindowSteps.compute(new int[] {30, 224, 224}, new int[] {162, 529, 529}, 0.5);
        assertArrayEquals(new int[] {0, 15, 29, 44, 59, 73, 88, 103, 117, 132}, s[0]);
        assertArrayEquals(new int[] {0, 102, 203, 305}, s[1]);
        assertArrayEquals(new int[] {0, 102, 203, 305}, s[2]);
        int[][] q = SlidingWindowSteps.compute(new int[] {123, 54, 123}, new int[] {246, 162, 369}, 0.25);
        assertArrayEquals(new int[] {0, 31, 62, 92, 123}, q[0]);
        assertArrayEquals(new int[] {0, 14, 27, 40, 54, 68, 81, 94, 108}, q[1]);
        assertArrayEquals(new int[] {0, 31, 62, 92, 123, 154, 184, 215, 246}, q[2]);
    }

    @Test
    @DisplayName("_compute_steps_for_sliding_window: positions rounded half to even like np.round")
    void roundHalfToEven() {
        // 14 - 5 = 9 over 4 intervals: 2.25, 4.5 -> 4 (not 5), 6.75
        assertArrayEquals(new int[] {0, 2, 4, 7, 9}, SlidingWindowSteps.compute(new int[] {5}, new int[] {14}, 0.5)[0]);
        assertArrayEquals(new int[] {0, 16, 31, 47, 62, 78},
                SlidingWindowSteps.compute(new int[] {32}, new int[] {110}, 0.5)[0]);
        assertArrayEquals(new int[] {0}, SlidingWindowSteps.compute(new int[] {32}, new int[] {32}, 0.5)[0]);
    }

    @Test
    void rejectsImageSmallerThanPatch() {
        assertThrows(IllegalArgumentException.class,
                () -> SlidingWindowSteps.compute(new int[] {32}, new int[] {31}, 0.5));
    }
}
