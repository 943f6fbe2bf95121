package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/**
 * v1 pyramid_augmentations.ApplyRandomBinaryOperatorTransform as the cascade uses it (p_per_sample 0.4, strel_size
 * (1, 8), p_per_label 1): with probability {@code pPerSample}, the one-hot channels of the previous stage (the last
 * {@code numChannels} data channels) are visited in random order; each, with probability {@code pPerLabel}, gets a
 * random one of dilation, erosion, closing, opening with a {@code ball(uniform(strelSize))}; voxels a channel gained
 * are cleared in the other channels so the encoding stays one-hot (voxels it lost become background).
 */
public final class ApplyRandomBinaryOperatorTransform implements SampleTransform {

    /** v1's any_of_these order. */
    private static final BinaryMorphology.Operation[] OPERATIONS = {BinaryMorphology.Operation.DILATION,
            BinaryMorphology.Operation.EROSION, BinaryMorphology.Operation.CLOSING, BinaryMorphology.Operation.OPENING};

    private final int numChannels;
    private final double pPerSample;
    private final double[] strelSize;
    private final double pPerLabel;

    public ApplyRandomBinaryOperatorTransform(int numChannels, double pPerSample, double[] strelSize,
                                              double pPerLabel) {
        this.numChannels = numChannels;
        this.pPerSample = pPerSample;
        this.strelSize = strelSize.clone();
        this.pPerLabel = pPerLabel;
    }

    /** nnUNetTrainerV2CascadeFullRes.setup_DA_params values. */
    public static ApplyRandomBinaryOperatorTransform cascadeDefaults(int numChannels) {
        return new ApplyRandomBinaryOperatorTransform(numChannels, 0.4, new double[] {1, 8}, 1);
    }

    @Override
    public Sample apply(Sample sample, RandomGenerator rng) {
        if (sample.dimension() != 3) {
            throw new IllegalArgumentException("the cascade augmentation needs 3D samples (2D has no cascade)");
        }
        if (rng.nextDouble() >= pPerSample) {
            return sample;
        }
        float[][] data = sample.data();
        int first = data.length - numChannels;
        int[] order = new int[numChannels];
        for (int i = 0; i < numChannels; i++) {
            order[i] = first + i;
        }
        for (int i = numChannels - 1; i > 0; i--) { // np.random.shuffle: Fisher-Yates from the end
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int c : order) {
            if (rng.nextDouble() >= pPerLabel) {
                continue;
            }
            BinaryMorphology.Operation op = OPERATIONS[rng.nextInt(OPERATIONS.length)];
            int[][] ball = BinaryMorphology.ballOffsets(RandomDraws.uniform(rng, strelSize[0], strelSize[1]));
            boolean[] before = new boolean[data[c].length];
            for (int v = 0; v < before.length; v++) {
                before[v] = (int) data[c][v] != 0; // v1: astype(int), then nonzero is foreground
            }
            boolean[] after = BinaryMorphology.apply(op, before, sample.shape(), ball);
            for (int v = 0; v < after.length; v++) {
                data[c][v] = after[v] ? 1f : 0f;
                if (after[v] && !before[v]) {
                    for (int other : order) {
                        if (other != c) {
                            data[other][v] = 0f;
                        }
                    }
                }
            }
        }
        return sample;
    }
}
