package org.nnunet.preprocessing;

import org.nnunet.util.NumpyRandomState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Foreground class locations: {@code RandomState(1234).choice(n, k, replace=False)} bit for bit, v1 sample counts. */
class ClassLocationsTest {

    @Test
    @DisplayName("NumpyRandomState.choice(replace=False) equals numpy 1.24 RandomState(1234) on a shared stream")
    void choiceMatchesNumpy(@TempDir Path dir) throws Exception {
        PythonReference.assumePython();
        int[][] draws = {{500, 500}, {50_000, 10_000}, {1, 1}, {7, 3}, {70_000, 10_000}, {1 << 20, 13}};
        PythonReference py = new PythonReference(dir);
        String id = py.add("choice", null, null, Map.of("seed", 1234, "draws", List.of(draws)));
        py.run();
        double[] ref = py.result(id);
        NumpyRandomState rnd = new NumpyRandomState(1234);
        int off = 0;
        for (int[] d : draws) {
            int[] ours = rnd.choiceWithoutReplacement(d[0], d[1]);
            for (int i = 0; i < ours.length; i++) {
                assertEquals(ref[off + i], ours[i], "draw " + d[0] + "/" + d[1] + " index " + i);
            }
            off += ours.length;
        }
        assertEquals(ref.length, off);
    }

    @Test
    @DisplayName("MT19937 seeded 5489 gives the reference first output 3499211612")
    void mersenneTwisterReference() {
        assertEquals(3499211612L, new NumpyRandomState(5489).nextUint32());
    }

    @Test
    @DisplayName("_run_internal counts: min(10000, n) but at least ceil(0.01 n); empty class -> no locations")
    void sampleCounts() {
        int[] shape = {40, 50, 60};
        float[] seg = new float[40 * 50 * 60];
        // class 1: 300 voxels, class 2: 20000 voxels, class 3 absent
        for (int i = 0; i < 300; i++) {
            seg[i * 7] = 1;
        }
        for (int i = 0; i < 20_000; i++) {
            seg[100_000 + i] = 2;
        }
        Map<Integer, int[][]> locs = ClassLocations.sample(seg, shape, new int[] {1, 2, 3});
        assertEquals(300, locs.get(1).length);
        assertEquals(10_000, locs.get(2).length);
        assertEquals(0, locs.get(3).length);
        for (Map.Entry<Integer, int[][]> e : locs.entrySet()) {
            for (int[] l : e.getValue()) {
                assertEquals((float) e.getKey(), seg[(l[0] * 50 + l[1]) * 60 + l[2]]);
            }
        }
        // more than 1e6 voxels: ceil(0.01 * n) wins over 10000
        int[] big = {110, 100, 100};
        float[] all = new float[110 * 100 * 100];
        java.util.Arrays.fill(all, 1f);
        assertEquals(11_000, ClassLocations.sample(all, big, new int[] {1}).get(1).length);
        // deterministic: the same case gives the same positions
        assertArrayEquals(locs.get(1)[5], ClassLocations.sample(seg, shape, new int[] {1, 2}).get(1)[5]);
    }
}
