package org.nnunet.planning;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The plans file of one planner (nnU-Net v1 {@code plan_experiment}'s {@code plans} dict, same keys), everything
 * preprocessing, training and prediction need. Stage 0 is the low-resolution stage when there are two 3D stages;
 * the last stage is always full resolution.
 */
public record Plans(
        @JsonProperty("num_stages") int numStages,
        @JsonProperty("num_modalities") int numModalities,
        @JsonProperty("modalities") Map<Integer, String> modalities,
        @JsonProperty("normalization_schemes") Map<Integer, String> normalizationSchemes,
        @JsonProperty("dataset_properties") DatasetFingerprint datasetProperties,
        @JsonProperty("list_of_npz_files") List<String> listOfNpzFiles,
        @JsonProperty("original_spacings") List<double[]> originalSpacings,
        @JsonProperty("original_sizes") List<int[]> originalSizes,
        @JsonProperty("preprocessed_data_folder") String preprocessedDataFolder,
        @JsonProperty("num_classes") int numClasses,
        @JsonProperty("all_classes") int[] allClasses,
        @JsonProperty("base_num_features") int baseNumFeatures,
        @JsonProperty("use_mask_for_norm") Map<Integer, Boolean> useMaskForNorm,
        @JsonProperty("transpose_forward") int[] transposeForward,
        @JsonProperty("transpose_backward") int[] transposeBackward,
        @JsonProperty("data_identifier") String dataIdentifier,
        @JsonProperty("plans_per_stage") Map<Integer, StagePlan> plansPerStage,
        @JsonProperty("preprocessor_name") String preprocessorName,
        @JsonProperty("conv_per_stage") int convPerStage) {

    public static final String NORM_CT = "CT";
    public static final String NORM_NON_CT = "nonCT";
    public static final String NORM_NONE = "noNorm";

    @JsonIgnore
    public StagePlan stage(int i) {
        StagePlan p = plansPerStage.get(i);
        if (p == null) {
            throw new IllegalArgumentException("plans have no stage " + i + " (" + numStages + " stage(s))");
        }
        return p;
    }

    /** The full-resolution stage (the last one). */
    @JsonIgnore
    public StagePlan fullResolution() {
        return stage(numStages - 1);
    }

    /**
     * The stage a network configuration trains on (v1 {@code run/default_configuration.py}): {@code 2d} and
     * {@code 3d_lowres} use stage 0, {@code 3d_fullres} and {@code 3d_cascade_fullres} the last stage; the two
     * cascade configurations need two stages.
     */
    public int stageIndexFor(String network) {
        boolean cascade = "3d_lowres".equals(network) || "3d_cascade_fullres".equals(network);
        if (cascade && numStages == 1) {
            throw new IllegalArgumentException(network + " only applies if there is more than one stage. This task "
                    + "does not require the cascade. Run 3d_fullres instead");
        }
        return switch (network) {
            case "2d", "3d_lowres" -> 0;
            case "3d_fullres", "3d_cascade_fullres" -> numStages - 1;
            default -> throw new IllegalArgumentException("unknown network configuration '" + network
                    + "' (2d, 3d_lowres, 3d_fullres, 3d_cascade_fullres)");
        };
    }

    /** Human-readable plan per stage, normalization and transposition, like nnU-Net's planning log. */
    public String planSummary(String plannerName) {
        StringBuilder b = new StringBuilder();
        boolean is2d = dataIdentifier.endsWith("_2D");
        for (int s = 0; s < numStages; s++) {
            String name = is2d ? "2d" : (s < numStages - 1 ? "3d_lowres" : "3d_fullres");
            b.append(plannerName).append(" - ").append(name).append(" (stage ").append(s).append(")\n");
            b.append(stage(s).summary());
        }
        b.append("  modalities: ").append(modalities).append('\n');
        b.append("  normalization: ").append(normalizationSchemes).append(", use nonzero mask: ")
                .append(useMaskForNorm).append('\n');
        b.append("  transpose forward: ").append(java.util.Arrays.toString(transposeForward))
                .append(", backward: ").append(java.util.Arrays.toString(transposeBackward)).append('\n');
        b.append("  data identifier: ").append(dataIdentifier).append('\n');
        return b.toString();
    }
}
