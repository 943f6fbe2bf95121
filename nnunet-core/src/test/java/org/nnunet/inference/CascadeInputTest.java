package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nnunet.cropping.CaseProperties;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/**
 * v1 predict.preprocess_save_to_queue with segs_from_prev_stage: the lowres segmentation (raw shape) becomes the
 * one-hot channels 1..classes-1 at the preprocessed shape; here cut to the crop box and transposed first.
 */
class CascadeInputTest {
    private static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1, 1, 1}, new double[] {0, 0, 0},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private static CaseProperties properties(int[] raw, int[][] bbox) {
        int[] cropped = {bbox[0][1] - bbox[0][0], bbox[1][1] - bbox[1][0], bbox[2][1] - bbox[2][0]};
        return new CaseProperties(raw, new double[] {1, 1, 1}, List.of("c_0000.nii.gz"), null, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, bbox, new double[] {0, 1, 2},
                cropped);
    }

    @Test
    @DisplayName("crop box, transpose (2, 0, 1), same shape: one-hot of labels 1 and 2 at the right voxels")
    void cropAndTranspose() {
        int[] raw = {3, 4, 5};
        float[] seg = new float[60];
        seg[(1 * 4 + 2) * 5 + 3] = 1; // raw (1, 2, 3): cropped (0, 1, 2)
        seg[(2 * 4 + 1) * 5 + 1] = 2; // raw (2, 1, 1): cropped (1, 0, 0)
        seg[0] = 2; // outside the box
        CaseProperties props = properties(raw, new int[][] {{1, 3}, {1, 4}, {1, 5}});
        // cropped shape (2, 3, 4); transpose (2, 0, 1) -> (4, 2, 3): new (a, b, c) = old (b, c, a)
        float[][] oneHot = CascadeInput.oneHot(new Volume(raw, seg, GEOMETRY), props, new int[] {2, 0, 1},
                new int[] {4, 2, 3}, 3);
        assertEquals(2, oneHot.length);
        float[] expected1 = new float[24];
        expected1[(2 * 2 + 0) * 3 + 1] = 1; // old (0, 1, 2) -> new (2, 0, 1)
        float[] expected2 = new float[24];
        expected2[(0 * 2 + 1) * 3 + 0] = 1; // old (1, 0, 0) -> new (0, 1, 0)
        assertArrayEquals(expected1, oneHot[0]);
        assertArrayEquals(expected2, oneHot[1]);
    }

    @Test
    @DisplayName("resize_segmentation order 1 to a twice larger shape: a label block doubles, one-hot stays exclusive")
    void resizesWithOrderOne() {
        int[] raw = {2, 2, 2};
        float[] seg = {1, 1, 1, 1, 2, 2, 2, 2}; // z = 0 label 1, z = 1 label 2
        float[][] oneHot = CascadeInput.oneHot(new Volume(raw, seg, GEOMETRY),
                properties(raw, new int[][] {{0, 2}, {0, 2}, {0, 2}}), new int[] {0, 1, 2}, new int[] {4, 4, 4}, 3);
        for (int z = 0; z < 4; z++) {
            for (int i = 0; i < 16; i++) {
                assertEquals(z < 2 ? 1f : 0f, oneHot[0][z * 16 + i], "label 1 at z " + z);
                assertEquals(z < 2 ? 0f : 1f, oneHot[1][z * 16 + i], "label 2 at z " + z);
            }
        }
    }

    @Test
    @DisplayName("a lowres segmentation of another shape than the raw image is refused (v1's assertion message)")
    void shapeMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CascadeInput.oneHot(
                new Volume(new int[] {2, 2, 3}, new float[12], GEOMETRY),
                properties(new int[] {2, 2, 2}, new int[][] {{0, 2}, {0, 2}, {0, 2}}), new int[] {0, 1, 2},
                new int[] {2, 2, 2}, 3));
        assertTrue(e.getMessage().contains("don't have the same pixel array shape"), e.getMessage());
    }
}
