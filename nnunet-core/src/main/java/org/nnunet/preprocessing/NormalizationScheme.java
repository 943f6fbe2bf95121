package org.nnunet.preprocessing;

/** Intensity normalization of one modality, named as in nnU-Net v1 plans ({@code normalization_schemes}). */
public enum NormalizationScheme {
    CT("CT"),
    NON_CT("nonCT"),
    NO_NORM("noNorm");

    private final String planName;

    NormalizationScheme(String planName) {
        this.planName = planName;
    }

    public String planName() {
        return planName;
    }

    public static NormalizationScheme fromPlanName(String name) {
        for (NormalizationScheme s : values()) {
            if (s.planName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown normalization scheme '" + name + "' (CT, nonCT or noNorm)");
    }
}
