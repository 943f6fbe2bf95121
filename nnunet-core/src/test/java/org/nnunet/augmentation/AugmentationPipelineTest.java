package org.nnunet.augmentation;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationPipelineTest {

    private static PatchBatch batch(int[] shape, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        for (int b = 0; b < size; b++) {
            float[] data = MapCoordinatesTest.randomImage(shape, rng);
            float[] seg = new float[data.length];
            for (int i = 0; i < seg.length; i++) {
                seg[i] = rng.nextInt(4) - 1;
            }
            samples.add(new Sample(new float[][]{data}, new float[][]{seg}, shape));
        }
        return new PatchBatch(samples);
    }

    @Test
    @DisplayName("moreDA order: spatial, noise, blur, brightness, contrast, low-res, inverted gamma, gamma, mirror, mask, remove label")
    void order() {
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{40, 56, 40}, false,
                new boolean[]{false});
        List<Class<?>> expected = List.of(SpatialTransform.class, GaussianNoiseTransform.class,
                GaussianBlurTransform.class, BrightnessMultiplicativeTransform.class,
                ContrastAugmentationTransform.class, SimulateLowResolutionTransform.class, GammaTransform.class,
                GammaTransform.class, MirrorTransform.class, MaskTransform.class, RemoveLabelTransform.class);
        List<Class<?>> actual = new AugmentationPipeline(p, 0, false).transforms().stream()
                .<Class<?>>map(Object::getClass).toList();
        assertEquals(expected, actual);
    }

    @Test
    @DisplayName("3D: enlarged 73x80x64 input -> 40x56x40, labels in {0,1,2}; same seed same result, parallel or not")
    void threeD() {
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{40, 56, 40}, false, null);
        PatchBatch in = batch(p.generatorPatchSize(), 3, 1);
        PatchBatch a = new AugmentationPipeline(p, 99, false).apply(in);
        PatchBatch b = new AugmentationPipeline(p, 99, true).apply(in);
        assertArrayEquals(new int[]{40, 56, 40}, a.shape());
        assertArrayEquals(a.dataTensor(), b.dataTensor());
        assertArrayEquals(a.segTensor(), b.segTensor());
        for (float v : a.segTensor()) {
            assertTrue(v == 0 || v == 1 || v == 2, "label " + v);
        }
        PatchBatch c = new AugmentationPipeline(p, 100, false).apply(in);
        assertTrue(!java.util.Arrays.equals(a.dataTensor(), c.dataTensor()), "another seed, another augmentation");
        assertEquals(3 * 40 * 56 * 40, a.dataTensor().length);
    }

    @Test
    @DisplayName("validation pipeline (v1 val_transforms): shape and data unchanged, label -1 -> 0")
    void validation() {
        PatchBatch in = batch(new int[]{4, 5, 6}, 2, 4);
        float[] data = in.dataTensor();
        float[] seg = in.segTensor();
        PatchBatch out = AugmentationPipeline.validation().apply(in);
        assertArrayEquals(data, out.dataTensor());
        float[] outSeg = out.segTensor();
        for (int i = 0; i < seg.length; i++) {
            assertEquals(seg[i] == -1 ? 0f : seg[i], outSeg[i]);
        }
    }

    @Test
    @DisplayName("dummy 2D: 20x376x376 input -> 20x320x256 and 2D: 65x65 -> 56x40")
    void dummy2DAnd2D() {
        AugmentationParameters d = AugmentationParameters.nnUNetTrainerV2(new int[]{6, 48, 40}, true, null);
        PatchBatch out = new AugmentationPipeline(d, 1, false).apply(batch(d.generatorPatchSize(), 2, 2));
        assertArrayEquals(new int[]{6, 48, 40}, out.shape());
        AugmentationParameters p2 = AugmentationParameters.nnUNetTrainerV2(new int[]{56, 40}, false, null);
        PatchBatch out2 = new AugmentationPipeline(p2, 1, false).apply(batch(p2.generatorPatchSize(), 4, 3));
        assertArrayEquals(new int[]{56, 40}, out2.shape());
    }
}
