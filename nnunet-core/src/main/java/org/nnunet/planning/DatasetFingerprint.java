package org.nnunet.planning;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net v1's {@code dataset_properties} ({@code DatasetAnalyzer.analyze_dataset}), keyed as there. Lists are in
 * case order ({@code case_identifiers}, sorted); sizes (after cropping) and spacings are (z, y, x).
 *
 * @param allClasses label values > 0 declared in dataset.json
 * @param classDct dataset.json {@code labels}
 * @param modalities index to modality name (dataset.json {@code modality})
 * @param intensityProperties per modality; null unless a modality is CT (nnUNet_plan_and_preprocess rule)
 * @param sizeReductions per case, voxels after / before cropping
 * @param segmentationPropsPerPatient per case, {@code has_classes} = the labels in its cropped seg (with -1)
 */
public record DatasetFingerprint(
        @JsonProperty("case_identifiers") List<String> caseIdentifiers,
        @JsonProperty("all_sizes") List<int[]> allSizes,
        @JsonProperty("all_spacings") List<double[]> allSpacings,
        @JsonProperty("all_classes") int[] allClasses,
        @JsonProperty("class_dct") Map<String, String> classDct,
        @JsonProperty("modalities") Map<Integer, String> modalities,
        @JsonProperty("intensityproperties") Map<Integer, IntensityProperties> intensityProperties,
        @JsonProperty("size_reductions") Map<String, Double> sizeReductions,
        @JsonProperty("segmentation_props_per_patient") Map<String, SegmentationProps> segmentationPropsPerPatient) {

    /** {@code segmentation_props_per_patient[case]}. */
    public record SegmentationProps(@JsonProperty("has_classes") double[] hasClasses) {}

    @JsonIgnore
    public int numCases() {
        return allSizes.size();
    }

    @JsonIgnore
    public int numModalities() {
        return modalities.size();
    }
}
