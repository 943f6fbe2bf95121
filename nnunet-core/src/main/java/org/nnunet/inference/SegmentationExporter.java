package org.nnunet.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;

/**
 * v1.7.1 {@code save_segmentation_nifti_from_softmax}: softmax (after {@code transpose_backward}) resampled to the
 * cropped size at original spacing, optionally saved as a float16 {@code .npz} with its properties, argmax, pasted into
 * the crop box of a zero image of the original size (the box's upper bound clipped to the image), optionally
 * postprocessed, written as uint8 NIfTI with the original geometry.
 */
public final class SegmentationExporter {
    private final SoftmaxResampler resampler;

    public SegmentationExporter(SoftmaxResampler resampler) {
        this.resampler = resampler;
    }

    /**
     * @param transposeBackward the plans' {@code transpose_backward}, or null when nothing was transposed
     * @param softmaxFile       where to save the resampled softmax ({@code .npz}, float16) and, beside it,
     *                          {@code <case>.json} with the properties (v1's {@code .pkl}); null: not saved
     * @param postprocess       applied before writing (v1 {@code seg_postprogess_fn}); null: none
     * @return the written segmentation (postprocessed if requested)
     */
    public LabelVolume export(SoftmaxVolume softmax, int[] transposeBackward, ExportProperties properties,
                              Path niftiFile, Path softmaxFile, UnaryOperator<LabelVolume> postprocess)
            throws IOException {
        SoftmaxVolume atOriginalSpacing = toOriginalSpacing(
                transposeBackward == null ? softmax : softmax.transposeSpatial(transposeBackward), properties);
        if (softmaxFile != null) {
            SoftmaxFiles.write(atOriginalSpacing, softmaxFile, true);
            properties.write(propertiesFileFor(softmaxFile));
        }
        LabelVolume seg = pasteIntoOriginal(atOriginalSpacing.argmax(), atOriginalSpacing.shape(), properties);
        if (postprocess != null) {
            seg = postprocess.apply(seg);
        }
        Files.createDirectories(niftiFile.toAbsolutePath().getParent());
        NiftiIO.write(seg.toVolume(), NiftiDataType.UINT8, niftiFile);
        return seg;
    }

    /** The properties file saved next to a softmax file: {@code case.npz -> case.json}. */
    public static Path propertiesFileFor(Path softmaxFile) {
        String name = softmaxFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return softmaxFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    /** Resampled to {@code size_after_cropping} unless it already has that shape. */
    public SoftmaxVolume toOriginalSpacing(SoftmaxVolume softmax, ExportProperties p) {
        if (Arrays.equals(softmax.shape(), p.sizeAfterCropping())) {
            return softmax;
        }
        SoftmaxVolume r = resampler.resample(softmax, p.sizeAfterCropping(), p.originalSpacing(),
                p.spacingAfterResampling());
        if (!Arrays.equals(r.shape(), p.sizeAfterCropping())) {
            throw new IllegalStateException("resampler returned shape " + Arrays.toString(r.shape()) + ", expected "
                    + Arrays.toString(p.sizeAfterCropping()));
        }
        return r;
    }

    /** Labels of the cropped region placed into a zero image of the original size, with the original geometry. */
    public static LabelVolume pasteIntoOriginal(int[] labels, int[] shape, ExportProperties p) {
        int[][] box = p.cropBbox();
        if (box == null) {
            return new LabelVolume(shape, labels, p.geometry());
        }
        int[] full = p.originalSizeOfRawData();
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            lo[a] = box[a][0];
            hi[a] = Math.min(box[a][0] + shape[a], full[a]);
        }
        int[] out = new int[full[0] * full[1] * full[2]];
        int rowLen = hi[2] - lo[2];
        for (int z = lo[0]; z < hi[0]; z++) {
            for (int y = lo[1]; y < hi[1]; y++) {
                System.arraycopy(labels, ((z - lo[0]) * shape[1] + (y - lo[1])) * shape[2],
                        out, (z * full[1] + y) * full[2] + lo[2], rowLen);
            }
        }
        return new LabelVolume(full, out, p.geometry());
    }
}
