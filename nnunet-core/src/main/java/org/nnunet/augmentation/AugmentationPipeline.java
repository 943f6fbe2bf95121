package org.nnunet.augmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * nnU-Net v1 training augmentation (data_augmentation_moreDA.get_moreDA_augmentation), in v1's order:
 * spatial (dummy 2D: in-plane), Gaussian noise, Gaussian blur, multiplicative brightness, contrast, low-resolution
 * simulation, inverted gamma, gamma, mirroring, mask, label -1 to 0. Deep-supervision target downsampling is left to
 * the trainer.
 *
 * <p>Reproducible: each batch draws one child generator per sample from the seeded root (in sample order), so the
 * result does not depend on whether samples are processed in parallel. Not thread-safe; one producer per pipeline.
 */
public final class AugmentationPipeline {

    private final List<SampleTransform> transforms;
    private final SplittableRandom root;
    private final boolean parallel;

    public AugmentationPipeline(AugmentationParameters params, long seed, boolean parallel) {
        this(moreDA(params), seed, parallel);
    }

    private AugmentationPipeline(List<SampleTransform> transforms, long seed, boolean parallel) {
        this.transforms = List.copyOf(transforms);
        this.root = new SplittableRandom(seed);
        this.parallel = parallel;
    }

    /** v1 val_transforms: validation patches (already final size) only get label -1 mapped to 0. */
    public static AugmentationPipeline validation() {
        return new AugmentationPipeline(List.of(new RemoveLabelTransform(-1f, 0f)), 0, false);
    }

    /**
     * nnUNetTrainerV2CascadeFullRes training transforms: moreDA with the previous stage's segmentation riding along
     * as seg channel 1, then MoveSegAsOneHotToData(1, labels 1..numClasses-1), the random binary operator and the
     * random connected-component removal on those one-hot channels (cascade_do_cascade_augmentations).
     */
    public static AugmentationPipeline cascade(AugmentationParameters params, int numClasses, long seed,
                                               boolean parallel) {
        List<SampleTransform> t = moreDA(params);
        int[] labels = foregroundLabels(numClasses);
        t.add(new MoveSegAsOneHotToData(1, labels));
        t.add(ApplyRandomBinaryOperatorTransform.cascadeDefaults(labels.length));
        t.add(RemoveRandomConnectedComponentTransform.cascadeDefaults(labels.length));
        return new AugmentationPipeline(t, seed, parallel);
    }

    /** v1 cascade val_transforms: label -1 to 0, then the previous stage's segmentation as one-hot data channels. */
    public static AugmentationPipeline cascadeValidation(int numClasses) {
        return new AugmentationPipeline(List.of(new RemoveLabelTransform(-1f, 0f),
                new MoveSegAsOneHotToData(1, foregroundLabels(numClasses))), 0, false);
    }

    private static int[] foregroundLabels(int numClasses) {
        return IntStream.range(1, numClasses).toArray();
    }

    public List<SampleTransform> transforms() {
        return transforms;
    }

    /**
     * Augments every sample of a batch whose samples have the generator patch size; returns final-size patches.
     * The moreDA pipeline leaves the input untouched (the spatial step writes new arrays); the validation pipeline
     * relabels the input samples in place.
     */
    public PatchBatch apply(PatchBatch batch) {
        int n = batch.size();
        SplittableRandom[] rngs = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            rngs[i] = root.split();
        }
        Sample[] out = new Sample[n];
        IntStream indices = IntStream.range(0, n);
        (parallel ? indices.parallel() : indices).forEach(i -> out[i] = augment(batch.samples().get(i), rngs[i]));
        return new PatchBatch(List.of(out));
    }

    Sample augment(Sample sample, SplittableRandom rng) {
        Sample s = sample;
        for (SampleTransform t : transforms) {
            s = t.apply(s, rng);
        }
        return s;
    }

    static List<SampleTransform> moreDA(AugmentationParameters p) {
        List<SampleTransform> t = new ArrayList<>();
        int[] patch = p.patchSize();
        if (p.dummy2D()) {
            t.add(new Dummy2DSpatialTransform(spatial(p, new int[]{patch[1], patch[2]})));
        } else {
            t.add(spatial(p, patch));
        }
        t.add(new GaussianNoiseTransform(new double[]{0, 0.1}, 0.1));
        t.add(new GaussianBlurTransform(new double[]{0.5, 1.0}, 0.5, 0.2));
        t.add(new BrightnessMultiplicativeTransform(new double[]{0.75, 1.25}, 0.15));
        t.add(new ContrastAugmentationTransform(new double[]{0.75, 1.25}, 0.15));
        t.add(new SimulateLowResolutionTransform(new double[]{0.5, 1.0}, 0.5, 0, 3, 0.25,
                p.dummy2D() ? new int[]{0} : new int[0]));
        t.add(new GammaTransform(p.gammaRange(), true, p.gammaRetainStats(), 0.1));
        t.add(new GammaTransform(p.gammaRange(), false, p.gammaRetainStats(), p.pGamma()));
        t.add(new MirrorTransform(p.mirrorAxes()));
        if (p.maskUsedForNormalization() != null) {
            t.add(new MaskTransform(p.maskUsedForNormalization()));
        }
        t.add(new RemoveLabelTransform(-1f, 0f));
        return t;
    }

    /** SpatialTransform as get_moreDA_augmentation builds it: data order 3 cval 0, seg order 1 cval -1. */
    private static SpatialTransform spatial(AugmentationParameters p, int[] patch) {
        return new SpatialTransform(patch, p.rotationX(), p.rotationY(), p.rotationZ(), p.pRotation(),
                p.pRotationPerAxis(), p.scaleRange(), p.pScale(), 3, 0, 1, -1);
    }
}
