package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * get_patch_size by hand for the Hippocampus 3d_fullres patch 40x56x40 and 30 degrees (c = cos 30 = 0.8660,
 * s = 0.5; row vector v times the rotation matrix):
 * x-rotation [40, 56c + 40s, -56s + 40c] = [40, 68.50, 6.64]; y-rotation [40c - 40s, 56, 40s + 40c] =
 * [14.64, 56, 54.64]; z-rotation [40c + 56s, -40s + 56c, 40] = [62.64, 28.50, 40]. Elementwise max with the patch:
 * [62.64, 68.50, 54.64]. Divided by 0.85 (the default scale_range still active in setup_DA_params):
 * [73.70, 80.58, 64.28] -> [73, 80, 64]; divided by 0.7: [89.49, 97.85, 78.06] -> [89, 97, 78].
 */
class GeneratorPatchSizeTest {

    private static final double DEG30 = Math.PI / 6;

    @Test
    @DisplayName("get_patch_size: Hippocampus 40x56x40, +-30 deg, min scale 0.85 -> 73x80x64 (v1 basic_generator_patch_size)")
    void hippocampusFullres() {
        assertArrayEquals(new int[]{73, 80, 64}, GeneratorPatchSize.compute(new int[]{40, 56, 40}, DEG30, DEG30, DEG30, 0.85));
        assertArrayEquals(new int[]{73, 80, 64},
                AugmentationParameters.nnUNetTrainerV2(new int[]{40, 56, 40}, false, null).generatorPatchSize());
    }

    @Test
    @DisplayName("get_patch_size with min scale 0.7 -> 89x97x78")
    void hippocampusWithMoreDaScale() {
        assertArrayEquals(new int[]{89, 97, 78}, GeneratorPatchSize.compute(new int[]{40, 56, 40}, DEG30, DEG30, DEG30, 0.7));
    }

    @Test
    @DisplayName("2D: rotation capped at 90 deg; 56x40 -> max(|[40,-56]|, patch) / 0.85 = 65.9 -> 65x65")
    void twoD() {
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{56, 40}, false, null);
        // aspect 1.4 <= 1.5 keeps the +-180 degree rotation
        assertEquals(Math.PI, p.rotationX()[1], 1e-12);
        assertArrayEquals(new int[]{65, 65}, p.generatorPatchSize());
        AugmentationParameters elongated = AugmentationParameters.nnUNetTrainerV2(new int[]{320, 160}, false, null);
        assertEquals(15.0 / 180 * Math.PI, elongated.rotationX()[1], 1e-12);
    }

    @Test
    @DisplayName("dummy 2D keeps z and enlarges in-plane with the 90-degree-capped rotation: 20x320x256 -> 20x376x376")
    void dummy2D() {
        // in-plane [320, 256] rotated 90 deg: [256, -320]; max -> [320, 320] / 0.85 = 376.47 -> 376
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{20, 320, 256}, true, null);
        assertArrayEquals(new int[]{20, 376, 376}, p.generatorPatchSize());
        assertArrayEquals(new int[]{0, 1, 2}, p.mirrorAxes());
    }
}
