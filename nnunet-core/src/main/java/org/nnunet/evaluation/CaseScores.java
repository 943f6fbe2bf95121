package org.nnunet.evaluation;

import java.util.Map;

/**
 * The metrics of one case, v1's per-case entry of {@code summary.json}: label (as a string) -> metric key -> value,
 * plus the file names compared (null when not from files).
 */
public record CaseScores(Map<String, Map<String, Number>> perLabel, String test, String reference) {

    public CaseScores {
        perLabel = Map.copyOf(perLabel);
    }

    public double dice(int label) {
        Map<String, Number> m = perLabel.get(String.valueOf(label));
        if (m == null) {
            throw new IllegalArgumentException("label " + label + " was not evaluated");
        }
        return m.get(Metric.DICE.key).doubleValue();
    }
}
