package org.nnunet.inference.bench;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.inference.PatchPredictor;
import org.nnunet.inference.SlidingWindowPredictor;

/**
 * Cost of the sliding window itself (tiling, mirroring, softmax, Gaussian aggregation) with a network that costs
 * nothing: what inference adds on top of the forward passes. Run with
 * {@code -Dgroups=benchmark -DexcludedGroups=none -Dtest=SlidingWindowBenchmark}.
 */
@Tag("benchmark")
class SlidingWindowBenchmark {

    /** Logits = input, copied per class: no real compute. */
    static PatchPredictor identity(int classes) {
        return new PatchPredictor() {
            @Override
            public float[] predictLogits(float[] patch, int channels, int[] patchShape) {
                int p = patch.length / channels;
                float[] out = new float[classes * p];
                for (int c = 0; c < classes; c++) {
                    System.arraycopy(patch, 0, out, c * p, p);
                }
                return out;
            }

            @Override
            public int numClasses() {
                return classes;
            }
        };
    }

    @Test
    void table() {
        System.out.printf("%-34s %-10s %10s%n", "case (z,y,x) / patch", "TTA", "seconds");
        run(new int[] {36, 50, 35}, new int[] {40, 56, 40}, 3, true);
        run(new int[] {36, 50, 35}, new int[] {40, 56, 40}, 3, false);
        run(new int[] {115, 320, 232}, new int[] {80, 192, 160}, 2, true);
        run(new int[] {36, 50, 35}, new int[] {56, 40}, 3, true);
    }

    private static void run(int[] shape, int[] patch, int classes, boolean tta) {
        float[] img = new float[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) Math.sin(i * 0.01);
        }
        int dims = patch.length;
        SlidingWindowPredictor.Settings s = tta ? SlidingWindowPredictor.Settings.defaults(dims)
                : new SlidingWindowPredictor.Settings(0.5, true, false, new int[0]);
        SlidingWindowPredictor p = new SlidingWindowPredictor(identity(classes), patch, s);
        p.predict(new float[][] {img}, shape); // warm-up
        long t0 = System.nanoTime();
        p.predict(new float[][] {img}, shape);
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-34s %-10s %10.3f%n", Arrays.toString(shape) + " / " + Arrays.toString(patch),
                tta ? (dims == 3 ? "8 flips" : "4 flips") : "none", sec);
    }
}
