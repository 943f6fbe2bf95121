package org.nnunet.util;

/**
 * The parts of numpy 1.x's legacy {@code np.random.RandomState(seed)} nnU-Net uses, bit for bit: the MT19937
 * generator with numpy's integer seeding ({@code init_genrand}), {@code random_interval} (mask and reject),
 * {@code shuffle} (Fisher-Yates from the last element down; sklearn's KFold splits) and
 * {@code choice(n, k, replace=False)}, which numpy implements as {@code permutation(n)[:k]} (foreground locations).
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

    /** Next 32 random bits as an unsigned value (MT19937 {@code genrand_int32}). */
    public long nextUint32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        pos = 0;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] by masking to the next power of two and rejecting. */
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
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            while ((value = nextUint32() & mask) > max) {
                // rejected, draw again
            }
        } else {
            while ((value = ((nextUint32() << 32) | nextUint32()) & mask) > max) {
                // rejected, draw again
            }
        }
        return value;
    }

    /** {@code RandomState.shuffle(x)} for a 1-d array, in place: i from n-1 down to 1 swapping with j in [0, i]. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i >= 1; i--) {
            int j = (int) randomInterval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    /** {@code permutation(n)}: 0..n-1 shuffled. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a);
        return a;
    }

    /** {@code choice(n, k, replace=False)}: the first k entries of {@code permutation(n)}. */
    public int[] choiceWithoutReplacement(int n, int k) {
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot take " + k + " samples without replacement from " + n);
        }
        int[] p = permutation(n);
        return k == n ? p : java.util.Arrays.copyOf(p, k);
    }
}
