package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.evaluation.LabelVolume;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiIO;

class SegmentationExporterTest {

    /** Cropped size (2, 3, 4) inside an original image (5, 6, 7), box starting at (1, 2, 3). */
    static ExportProperties props() {
        return new ExportProperties(new int[] {5, 6, 7}, new int[] {2, 3, 4}, new int[][] {{1, 3}, {2, 5}, {3, 7}},
                new double[] {2.0, 1.0, 0.5}, new double[] {2.0, 1.0, 0.5}, new double[] {0.5, 1.0, 2.0},
                new double[] {10, -20, 30}, new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});
    }

    /** Class 1 wins where x + y is odd, class 2 at z = 1, y = 2; [classes, z, y, x] of shape (2, 3, 4). */
    static SoftmaxVolume softmax() {
        int n = 24;
        float[] d = new float[3 * n];
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int i = (z * 3 + y) * 4 + x;
                    int winner = z == 1 && y == 2 ? 2 : (x + y) % 2;
                    for (int c = 0; c < 3; c++) {
                        d[c * n + i] = c == winner ? 0.6f : 0.2f;
                    }
                }
            }
        }
        return new SoftmaxVolume(3, new int[] {2, 3, 4}, d);
    }

    private static final SoftmaxResampler NO_RESAMPLING = (s, shape, o, t) -> {
        throw new AssertionError("no resampling expected");
    };

    @Test
    @DisplayName("save_segmentation_nifti_from_softmax: argmax pasted into crop_bbox, zero outside, original geometry")
    void pastesIntoCropBox(@TempDir Path dir) throws IOException {
        Path nii = dir.resolve("case_001.nii.gz");
        Path npz = dir.resolve("case_001.npz");
        LabelVolume seg = new SegmentationExporter(NO_RESAMPLING).export(softmax(), null, props(), nii, npz, null);
        Volume back = NiftiIO.read(nii);
        assertArrayEquals(new int[] {5, 6, 7}, back.shape());
        assertArrayEquals(props().itkSpacing(), back.geometry().itkSpacing(), 1e-6);
        assertArrayEquals(props().itkOrigin(), back.geometry().itkOrigin(), 1e-4);
        assertArrayEquals(props().itkDirection(), back.geometry().itkDirection(), 1e-6);
        assertEquals(0f, back.get(0, 2, 3));
        assertEquals(0f, back.get(1, 2, 3), "(x + y) even -> class 0");
        assertEquals(1f, back.get(1, 2, 4));
        assertEquals(2f, back.get(2, 4, 5));
        assertEquals(0f, back.get(3, 4, 5), "outside the box");
        int nonzero = 0;
        for (float v : back.data()) {
            nonzero += v != 0 ? 1 : 0;
        }
        assertEquals(6 + 4 + 4, nonzero, "z=0: 6 voxels with x + y odd; z=1: 4 in rows 0-1, 4 of class 2 in row 2");
        assertEquals(seg.toVolume().data().length, back.data().length);
        // the npz holds the float16 softmax at original spacing, the json the properties
        SoftmaxVolume saved = SoftmaxFiles.read(npz);
        assertEquals(Float16.toFloat(Float16.fromFloat(0.6f)), saved.data()[1 * 24 + 1]);
        assertTrue(Files.isRegularFile(dir.resolve("case_001.json")));
        assertArrayEquals(new int[][] {{1, 3}, {2, 5}, {3, 7}}, ExportProperties.read(dir.resolve("case_001.json"))
                .cropBbox());
    }

    @Test
    @DisplayName("predict_cases: transpose_backward is applied before export")
    void transposeBackward(@TempDir Path dir) throws IOException {
        // the network saw the case transposed with transpose_forward [2, 0, 1]: shape (4, 2, 3)
        int[] forward = {2, 0, 1};
        int[] backward = {1, 2, 0};
        SoftmaxVolume transposed = softmax().transposeSpatial(forward);
        assertArrayEquals(new int[] {4, 2, 3}, transposed.shape());
        LabelVolume a = new SegmentationExporter(NO_RESAMPLING).export(transposed, backward, props(),
                dir.resolve("a.nii.gz"), null, null);
        LabelVolume b = new SegmentationExporter(NO_RESAMPLING).export(softmax(), null, props(),
                dir.resolve("b.nii.gz"), null, null);
        assertArrayEquals(b.labels(), a.labels());
    }

    @Test
    @DisplayName("save_segmentation_nifti_from_softmax: a softmax not at size_after_cropping goes through the resampler")
    void resamplesWhenShapeDiffers(@TempDir Path dir) throws IOException {
        SoftmaxVolume small = new SoftmaxVolume(3, new int[] {1, 3, 4}, java.util.Arrays.copyOf(softmax().data(), 36));
        int[] calls = {0};
        SoftmaxResampler nearestAlongZ = (s, shape, orig, after) -> {
            calls[0]++;
            assertArrayEquals(new double[] {2.0, 1.0, 0.5}, orig);
            float[] d = new float[3 * 24];
            for (int c = 0; c < 3; c++) {
                for (int z = 0; z < 2; z++) {
                    System.arraycopy(s.data(), c * 12, d, c * 24 + z * 12, 12);
                }
            }
            return new SoftmaxVolume(3, shape, d);
        };
        new SegmentationExporter(nearestAlongZ).export(small, null, props(), dir.resolve("c.nii.gz"), null, null);
        assertEquals(1, calls[0]);
    }
}
