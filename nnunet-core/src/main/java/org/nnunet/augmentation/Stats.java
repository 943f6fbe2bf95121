package org.nnunet.augmentation;

/** Mean and population standard deviation (numpy's default ddof=0), accumulated in double. */
final class Stats {

    private Stats() {
    }

    static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            double d = v - m;
            s += d * d;
        }
        return Math.sqrt(s / x.length);
    }
}
