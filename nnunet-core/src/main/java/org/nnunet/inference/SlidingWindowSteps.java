package org.nnunet.inference;

/** Tile start positions of the sliding window, v1.7.1 {@code SegmentationNetwork._compute_steps_for_sliding_window}. */
public final class SlidingWindowSteps {
    private SlidingWindowSteps() {}

    /**
     * Per axis: {@code n = ceil((size - patch) / (patch * stepSize)) + 1} starts, evenly spaced from 0 to
     * {@code size - patch} and rounded half to even (numpy {@code np.round}).
     */
    public static int[][] compute(int[] patchSize, int[] imageSize, double stepSize) {
        if (!(stepSize > 0 && stepSize <= 1)) {
            throw new IllegalArgumentException("step size must be in (0, 1], got " + stepSize);
        }
        int[][] steps = new int[patchSize.length][];
        for (int d = 0; d < patchSize.length; d++) {
            if (imageSize[d] < patchSize[d]) {
                throw new IllegalArgumentException("image size " + imageSize[d] + " smaller than patch "
                        + patchSize[d] + " on axis " + d);
            }
            double target = patchSize[d] * stepSize;
            int n = (int) Math.ceil((imageSize[d] - patchSize[d]) / target) + 1;
            int max = imageSize[d] - patchSize[d];
            double actual = n > 1 ? (double) max / (n - 1) : 0;
            steps[d] = new int[n];
            for (int i = 0; i < n; i++) {
                steps[d][i] = (int) Math.rint(actual * i);
            }
        }
        return steps;
    }
}
