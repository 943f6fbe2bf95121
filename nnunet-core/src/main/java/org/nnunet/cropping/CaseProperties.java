package org.nnunet.cropping;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.nnunet.image.ImageGeometry;

/**
 * What nnU-Net v1 records about a case when cropping it ({@code cropping.load_case_from_list_of_files} and
 * {@code ImageCropper.crop}); the JSON keys are the keys of its per-case pickle. Sizes and spacing are (z, y, x);
 * the {@code itk_*} fields are SimpleITK's (x, y, z). {@code classes} is {@code np.unique(seg)} after the
 * outside-of-mask voxels were set to -1, so it may hold -1.
 */
public record CaseProperties(
        @JsonProperty("original_size_of_raw_data") int[] originalSizeOfRawData,
        @JsonProperty("original_spacing") double[] originalSpacing,
        @JsonProperty("list_of_data_files") List<String> listOfDataFiles,
        @JsonProperty("seg_file") String segFile,
        @JsonProperty("itk_origin") double[] itkOrigin,
        @JsonProperty("itk_spacing") double[] itkSpacing,
        @JsonProperty("itk_direction") double[] itkDirection,
        @JsonProperty("crop_bbox") int[][] cropBbox,
        @JsonProperty("classes") double[] classes,
        @JsonProperty("size_after_cropping") int[] sizeAfterCropping) {

    @JsonIgnore
    public ImageGeometry geometry() {
        return new ImageGeometry(itkSpacing, itkOrigin, itkDirection);
    }

    @JsonIgnore
    public BoundingBox boundingBox() {
        return BoundingBox.fromPairs(cropBbox);
    }

    /** Voxels after / before cropping: nnU-Net's {@code size_reductions} entry for this case. */
    @JsonIgnore
    public double sizeReduction() {
        return (double) product(sizeAfterCropping) / product(originalSizeOfRawData);
    }

    static long product(int[] a) {
        long p = 1;
        for (int v : a) {
            p *= v;
        }
        return p;
    }
}
