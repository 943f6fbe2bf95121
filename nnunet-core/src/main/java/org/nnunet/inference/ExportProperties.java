package org.nnunet.inference;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.image.ImageGeometry;

/**
 * The entries of v1's per-case properties dict that {@code save_segmentation_nifti_from_softmax} reads, under v1's
 * keys (so the cropping/preprocessing properties JSON can be read directly; other keys are ignored). Sizes, box and
 * spacings in (z, y, x) array order; {@code spacing_after_resampling} is the preprocessing target spacing as v1
 * stores it (in the transposed axis order); the {@code itk_*} fields are SimpleITK's (x, y, z).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExportProperties(
        @JsonProperty("original_size_of_raw_data") int[] originalSizeOfRawData,
        @JsonProperty("size_after_cropping") int[] sizeAfterCropping,
        @JsonProperty("crop_bbox") int[][] cropBbox,
        @JsonProperty("original_spacing") double[] originalSpacing,
        @JsonProperty("spacing_after_resampling") double[] spacingAfterResampling,
        @JsonProperty("itk_spacing") double[] itkSpacing,
        @JsonProperty("itk_origin") double[] itkOrigin,
        @JsonProperty("itk_direction") double[] itkDirection) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** From the cropping properties and the preprocessing's {@code spacing_after_resampling}. */
    public static ExportProperties of(CaseProperties cropped, double[] spacingAfterResampling) {
        return new ExportProperties(cropped.originalSizeOfRawData(), cropped.sizeAfterCropping(), cropped.cropBbox(),
                cropped.originalSpacing(), spacingAfterResampling, cropped.itkSpacing(), cropped.itkOrigin(),
                cropped.itkDirection());
    }

    @JsonIgnore
    public ImageGeometry geometry() {
        return new ImageGeometry(itkSpacing, itkOrigin, itkDirection);
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static ExportProperties read(Path file) throws IOException {
        ExportProperties p;
        try {
            p = JSON.readValue(file.toFile(), ExportProperties.class);
        } catch (IOException e) {
            throw new IOException("cannot read case properties " + file + ": " + e.getMessage(), e);
        }
        if (p.originalSizeOfRawData == null || p.sizeAfterCropping == null || p.itkSpacing == null
                || p.itkOrigin == null || p.itkDirection == null || p.originalSpacing == null) {
            throw new IOException(file + ": case properties miss original_size_of_raw_data, size_after_cropping, "
                    + "original_spacing or itk geometry");
        }
        return p;
    }
}
