package org.nnunet.planning;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code intensityproperties[modality]} of nnU-Net v1, same keys: statistics of the pooled foreground sample of
 * all cases and, in {@code local_props}, of each case alone. The CT normalization uses {@code mean}, {@code sd}
 * and the two percentiles of the pooled sample.
 */
public record IntensityProperties(
        @JsonProperty("median") double median,
        @JsonProperty("mean") double mean,
        @JsonProperty("sd") double sd,
        @JsonProperty("mn") double mn,
        @JsonProperty("mx") double mx,
        @JsonProperty("percentile_99_5") double percentile99_5,
        @JsonProperty("percentile_00_5") double percentile00_5,
        @JsonProperty("local_props") Map<String, IntensityStatistics> localProps) {

    public static IntensityProperties of(IntensityStatistics pooled, Map<String, IntensityStatistics> localProps) {
        return new IntensityProperties(pooled.median(), pooled.mean(), pooled.sd(), pooled.mn(), pooled.mx(),
                pooled.percentile99_5(), pooled.percentile00_5(), localProps);
    }
}
