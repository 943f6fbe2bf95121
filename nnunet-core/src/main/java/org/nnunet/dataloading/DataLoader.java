package org.nnunet.dataloading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nnunet.augmentation.PatchBatch;
import org.nnunet.augmentation.Sample;
import org.nnunet.util.MappedNpy;

/**
 * nnU-Net v1's training data loaders (dataset_loading.DataLoader3D and DataLoader2D as nnUNetTrainer sets them up):
 * cases drawn uniformly with replacement; patches of the enlarged pre-augmentation size ({@code patchSize}) whose
 * position range lets the final patch ({@code finalPatchSize}) reach past the border by half the size difference;
 * the last third of each batch centred on a random voxel of a random foreground class
 * ({@link ForegroundOversampling}); data padded with 0, segmentation with -1. The 2D loader first picks one axial
 * slice (a slice containing the chosen class when oversampling). Seeded and single-threaded: one loader per worker.
 */
public final class DataLoader {
    private final PreprocessedDataset dataset;
    private final List<String> keys;
    private final int[] patchSize;
    private final int[] needToPad;
    private final int batchSize;
    private final double oversamplePercent;
    private final SplittableRandom rng;
    private final Map<String, MappedNpy> previousStage;

    /** {@code patchSize.length} decides the loader: 3 for DataLoader3D, 2 for DataLoader2D. */
    public DataLoader(PreprocessedDataset dataset, int[] patchSize, int[] finalPatchSize, int batchSize,
                      double oversamplePercent, long seed) {
        this(dataset, patchSize, finalPatchSize, batchSize, oversamplePercent, seed, null);
    }

    /**
     * DataLoader3D with {@code has_prev_stage} (the cascade): each sample's segmentation gets the previous stage's
     * label map, cut from the same box and padded with 0, as second channel.
     */
    public DataLoader(PreprocessedDataset dataset, int[] patchSize, int[] finalPatchSize, int batchSize,
                      double oversamplePercent, long seed, Map<String, MappedNpy> previousStage) {
        if (patchSize.length != finalPatchSize.length || (patchSize.length != 2 && patchSize.length != 3)) {
            throw new IllegalArgumentException("patch sizes must both be 2D or 3D: " + Arrays.toString(patchSize)
                    + " / " + Arrays.toString(finalPatchSize));
        }
        this.dataset = dataset;
        this.keys = dataset.caseIds();
        this.patchSize = patchSize.clone();
        this.needToPad = new int[patchSize.length];
        for (int d = 0; d < patchSize.length; d++) {
            needToPad[d] = patchSize[d] - finalPatchSize[d];
        }
        this.batchSize = batchSize;
        this.oversamplePercent = oversamplePercent;
        this.rng = new SplittableRandom(seed);
        if (previousStage != null && patchSize.length != 3) {
            throw new IllegalArgumentException("2D has no cascade: previous-stage segmentations need 3D patches");
        }
        this.previousStage = previousStage;
    }

    public PatchBatch nextBatch() {
        List<Sample> samples = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
            PreprocessedDataset.Case c = dataset.get(keys.get(rng.nextInt(keys.size())));
            samples.add(sample(c, ForegroundOversampling.forced(j, batchSize, oversamplePercent)));
        }
        return new PatchBatch(samples);
    }

    Sample sample(PreprocessedDataset.Case c, boolean forceForeground) {
        int[] caseShape = c.spatialShape();
        int dim = patchSize.length;
        int[] shape = dim == 3 ? caseShape : new int[] {caseShape[1], caseShape[2]};

        int[] selectedVoxel = null;
        int slice = -1;
        if (forceForeground) {
            int[] classes = c.classLocations().entrySet().stream()
                    .filter(e -> e.getKey() > 0 && e.getValue().length > 0).mapToInt(Map.Entry::getKey)
                    .sorted().toArray();
            if (classes.length > 0) {
                int[][] voxels = c.classLocations().get(classes[rng.nextInt(classes.length)]);
                if (dim == 2) {
                    int[] slices = Arrays.stream(voxels).mapToInt(v -> v[0]).distinct().sorted().toArray();
                    slice = slices[rng.nextInt(slices.length)];
                    final int s = slice;
                    voxels = Arrays.stream(voxels).filter(v -> v[0] == s).toArray(int[][]::new);
                }
                int[] v = voxels[rng.nextInt(voxels.length)];
                selectedVoxel = dim == 3 ? v : new int[] {v[1], v[2]};
            }
        }
        if (dim == 2 && slice < 0) {
            slice = rng.nextInt(caseShape[0]);
        }

        int[] lb = new int[dim];
        for (int d = 0; d < dim; d++) {
            int pad = needToPad[d];
            if (pad + shape[d] < patchSize[d]) {
                pad = patchSize[d] - shape[d];
            }
            int lower = Math.floorDiv(-pad, 2);
            int upper = shape[d] + pad / 2 + pad % 2 - patchSize[d];
            lb[d] = selectedVoxel == null
                    ? lower + rng.nextInt(upper - lower + 1)
                    : Math.max(lower, selectedVoxel[d] - patchSize[d] / 2);
        }

        int channels = c.dataChannels();
        float[][] data = new float[channels][];
        for (int ch = 0; ch < channels; ch++) {
            data[ch] = PatchExtractor.extract(c.array().data(), ch, caseShape, slice, lb, patchSize, 0f);
        }
        float[] target = PatchExtractor.extract(c.array().data(), channels, caseShape, slice, lb, patchSize, -1f);
        float[][] seg = previousStage == null ? new float[][] {target} : new float[][] {target,
                PatchExtractor.extract(previousStage(c.id()).data(), 0, caseShape, slice, lb, patchSize, 0f)};
        return new Sample(data, seg, patchSize.clone());
    }

    private MappedNpy previousStage(String caseId) {
        MappedNpy m = previousStage.get(caseId);
        if (m == null) {
            throw new IllegalStateException("no previous-stage segmentation for case " + caseId);
        }
        return m;
    }
}
