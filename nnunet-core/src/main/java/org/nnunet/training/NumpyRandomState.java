package org.nnunet.training;

/**
 * The part of numpy's legacy {@code np.random.RandomState(seed)} that sklearn's shuffled KFold uses: MT19937 seeded
 * from an integer with {@code mt19937_seed} (Matsumoto-Nishimura {@code init_genrand}), 32-bit outputs
 * ({@code genrand_int32}), and {@code shuffle} of a 1-d array: Fisher-Yates from the end, {@code j} drawn by
 * {@code random_interval(i)} (masked rejection sampling on 32-bit draws).
 */
public final class NumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int pos;

    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** {@code genrand_int32}, as an unsigned value. */
    public long nextUint32() {
        if (pos >= N) {
            generate();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void generate() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        pos = 0;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection (max < 2^32 here). */
    long randomInterval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** {@code RandomState.shuffle(x)} for a 1-d array, in place. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }
}
