package org.nnunet.planning;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Foreground intensity statistics of one modality ({@code DatasetAnalyzer._compute_stats}): median, mean,
 * standard deviation (ddof 0), min, max and the 99.5th / 0.5th percentiles (numpy's linear interpolation).
 * All NaN when there is no foreground voxel.
 */
public record IntensityStatistics(
        @JsonProperty("median") double median,
        @JsonProperty("mean") double mean,
        @JsonProperty("sd") double sd,
        @JsonProperty("mn") double mn,
        @JsonProperty("mx") double mx,
        @JsonProperty("percentile_99_5") double percentile99_5,
        @JsonProperty("percentile_00_5") double percentile00_5) {

    /** Computed in double precision (numpy reduces the float32 voxels in float32; results agree to ~1e-6). */
    public static IntensityStatistics of(float[] voxels) {
        int n = voxels.length;
        if (n == 0) {
            return new IntensityStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN);
        }
        double[] s = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            s[i] = voxels[i];
            sum += s[i];
        }
        double mean = sum / n;
        double sq = 0;
        for (double v : s) {
            sq += (v - mean) * (v - mean);
        }
        Arrays.sort(s);
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return new IntensityStatistics(median, mean, Math.sqrt(sq / n), s[0], s[n - 1],
                NumpyStats.percentileSorted(s, 99.5), NumpyStats.percentileSorted(s, 0.5));
    }
}
