package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/** The parameter-sampling idioms batchgenerators repeats in its transforms. */
final class RandomDraws {

    private RandomDraws() {
    }

    /** np.random.uniform(lo, hi); batchgenerators' {@code uniform} returns lo directly when lo == hi. */
    static double uniform(RandomGenerator rng, double lo, double hi) {
        if (lo == hi) {
            return lo;
        }
        return lo + (hi - lo) * rng.nextDouble();
    }

    /**
     * The "half below one" rule used for scale, contrast and gamma: when the range straddles 1, with probability 0.5
     * draw from [lo, 1), otherwise from [max(lo, 1), hi).
     */
    static double aroundOne(RandomGenerator rng, double lo, double hi) {
        if (rng.nextDouble() < 0.5 && lo < 1) {
            return uniform(rng, lo, 1);
        }
        return uniform(rng, Math.max(lo, 1), hi);
    }
}
