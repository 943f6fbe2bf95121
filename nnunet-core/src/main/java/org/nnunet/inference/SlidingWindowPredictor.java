package org.nnunet.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sliding-window inference of a whole preprocessed case, v1.7.1 {@code SegmentationNetwork.predict_3D}: for a 3D
 * network {@code _internal_predict_3D_3Dconv_tiled}, for a 2D network slice by slice along the first axis
 * ({@code _internal_predict_3D_2Dconv_tiled}).
 *
 * <p>The image is zero-padded to at least the patch (padding split {@code diff // 2} before, the rest after, as
 * batchgenerators {@code pad_nd_image}); tiles start at {@link SlidingWindowSteps}; each tile's softmax (averaged
 * over the mirrored copies, {@link MirroredTilePredictor}) is multiplied by the {@link GaussianImportanceMap} and
 * summed, and the sum is divided by the summed weights. Only the unpadded region is accumulated, which gives the same
 * numbers as v1's crop after aggregation. Memory: as v1, the aggregated softmax plus one weight map (the
 * aggregate is divided in place and returned); tiles and mirrored copies are tile-sized.
 */
public final class SlidingWindowPredictor {

    /**
     * @param stepSize    fraction of the patch between tiles (v1 default 0.5)
     * @param useGaussian Gaussian tile weighting (v1 default true), else uniform
     * @param mirroring   mirroring test-time augmentation (v1 {@code do_mirroring}, default true)
     * @param mirrorAxes  network axes to mirror: (0, 1, 2) for 3D, (0, 1) for 2D in v1
     * @param mirrorBatch mirrored copies of a tile per forward pass (1 = v1, one after another); bounds the network's
     *                    activation memory, see {@link #DEFAULT_MIRROR_BATCH}
     */
    public record Settings(double stepSize, boolean useGaussian, boolean mirroring, int[] mirrorAxes,
                           int mirrorBatch) {
        /**
         * Copies per forward pass unless chosen: 1, as v1. Measured on Hippocampus (docs/performance.md,
         * "Prediction"): batching all 8 copies was no faster on CPU and multiplied the peak memory.
         */
        public static final int DEFAULT_MIRROR_BATCH = 1;

        public Settings {
            mirrorAxes = mirrorAxes.clone();
            if (mirrorBatch < 1) {
                throw new IllegalArgumentException("mirror batch must be at least 1, got " + mirrorBatch);
            }
        }

        public Settings(double stepSize, boolean useGaussian, boolean mirroring, int[] mirrorAxes) {
            this(stepSize, useGaussian, mirroring, mirrorAxes, DEFAULT_MIRROR_BATCH);
        }

        /** v1 defaults for a network with {@code dims} spatial dimensions. */
        public static Settings defaults(int dims) {
            return new Settings(0.5, true, true, dims == 3 ? new int[] {0, 1, 2} : new int[] {0, 1});
        }

        @Override
        public int[] mirrorAxes() {
            return mirrorAxes.clone();
        }
    }

    private final PatchPredictor network;
    private final int[] patchSize;
    private final Settings settings;
    private final MirroredTilePredictor tilePredictor;
    private final float[] gaussian;

    /** @param patchSize the network's patch, 3 entries (z, y, x) for a 3D network, 2 (y, x) for a 2D one */
    public SlidingWindowPredictor(PatchPredictor network, int[] patchSize, Settings settings) {
        if (patchSize.length != 2 && patchSize.length != 3) {
            throw new IllegalArgumentException("patch must be 2D or 3D, got " + Arrays.toString(patchSize));
        }
        this.network = network;
        this.patchSize = patchSize.clone();
        this.settings = settings;
        this.tilePredictor = new MirroredTilePredictor(network, patchSize,
                settings.mirroring() ? settings.mirrorAxes() : new int[0], settings.mirrorBatch());
        int p = 1;
        for (int s : patchSize) {
            p *= s;
        }
        if (settings.useGaussian()) {
            gaussian = GaussianImportanceMap.compute(patchSize);
        } else {
            gaussian = new float[p];
            Arrays.fill(gaussian, 1f);
        }
    }

    /**
     * @param channels preprocessed image, one {@code z*y*x} C-order array per modality
     * @param shape    (z, y, x)
     * @return softmax {@code [classes, z, y, x]} of the same spatial shape
     */
    public SoftmaxVolume predict(float[][] channels, int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        for (float[] c : channels) {
            if (c.length != n) {
                throw new IllegalArgumentException("channel has " + c.length + " voxels, shape "
                        + Arrays.toString(shape) + " needs " + n);
            }
        }
        int k = network.numClasses();
        if (patchSize.length == 3) {
            return new SoftmaxVolume(k, shape, predictTiled(channels, shape, patchSize));
        }
        // 2D network: every z slice separately, the result assembled as [classes, z, y, x]
        int slice = shape[1] * shape[2];
        int[] sliceShape = {1, shape[1], shape[2]};
        int[] patch3 = {1, patchSize[0], patchSize[1]};
        float[] out = new float[k * n];
        float[][] sliceChannels = new float[channels.length][slice];
        for (int z = 0; z < shape[0]; z++) {
            for (int c = 0; c < channels.length; c++) {
                System.arraycopy(channels[c], z * slice, sliceChannels[c], 0, slice);
            }
            float[] sm = predictTiled(sliceChannels, sliceShape, patch3);
            for (int c = 0; c < k; c++) {
                System.arraycopy(sm, c * slice, out, c * n + z * slice, slice);
            }
        }
        return new SoftmaxVolume(k, shape, out);
    }

    /** Tiled prediction of one 3D block ({@code patch3[0] == 1, shape[0] == 1} for a 2D slice). */
    private float[] predictTiled(float[][] channels, int[] shape, int[] patch3) {
        int k = network.numClasses();
        int n = shape[0] * shape[1] * shape[2];
        int[] padded = new int[3];
        int[] below = new int[3];
        for (int d = 0; d < 3; d++) {
            padded[d] = Math.max(shape[d], patch3[d]);
            below[d] = (padded[d] - shape[d]) / 2;
        }
        int[][] steps = SlidingWindowSteps.compute(patch3, padded, settings.stepSize());
        float[] aggregated = new float[k * n];
        float[] weights = new float[n];
        int p = patch3[0] * patch3[1] * patch3[2];
        float[] tile = new float[channels.length * p];
        for (int sz : steps[0]) {
            for (int sy : steps[1]) {
                for (int sx : steps[2]) {
                    int[] origin = {sz - below[0], sy - below[1], sx - below[2]};
                    extractTile(channels, shape, origin, patch3, tile);
                    float[] probs = tilePredictor.predict(tile, channels.length);
                    accumulate(probs, k, shape, origin, patch3, aggregated, weights);
                }
            }
        }
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                aggregated[c * n + i] /= weights[i];
            }
        }
        return aggregated;
    }

    /** Copies the tile at {@code origin} (image coordinates, may lie in the zero padding) into {@code tile}. */
    private static void extractTile(float[][] channels, int[] shape, int[] origin, int[] patch, float[] tile) {
        int p = patch[0] * patch[1] * patch[2];
        for (int c = 0; c < channels.length; c++) {
            float[] src = channels[c];
            int o = c * p;
            for (int a = 0; a < patch[0]; a++) {
                int z = origin[0] + a;
                for (int b = 0; b < patch[1]; b++) {
                    int y = origin[1] + b;
                    boolean rowInside = z >= 0 && z < shape[0] && y >= 0 && y < shape[1];
                    int rowBase = rowInside ? (z * shape[1] + y) * shape[2] : 0;
                    for (int x0 = 0; x0 < patch[2]; x0++, o++) {
                        int x = origin[2] + x0;
                        tile[o] = rowInside && x >= 0 && x < shape[2] ? src[rowBase + x] : 0f;
                    }
                }
            }
        }
    }

    /** v1: {@code aggregated += softmax * gaussian; weights += gaussian} over the tile, inside the image only. */
    private void accumulate(float[] probs, int k, int[] shape, int[] origin, int[] patch, float[] aggregated,
                            float[] weights) {
        int p = patch[0] * patch[1] * patch[2];
        int n = shape[0] * shape[1] * shape[2];
        List<int[]> rows = new ArrayList<>();
        int t = 0;
        for (int a = 0; a < patch[0]; a++) {
            int z = origin[0] + a;
            for (int b = 0; b < patch[1]; b++, t += patch[2]) {
                int y = origin[1] + b;
                if (z < 0 || z >= shape[0] || y < 0 || y >= shape[1]) {
                    continue;
                }
                int x0 = Math.max(0, -origin[2]);
                int x1 = Math.min(patch[2], shape[2] - origin[2]);
                rows.add(new int[] {t, (z * shape[1] + y) * shape[2] + origin[2], x0, x1});
            }
        }
        for (int[] r : rows) {
            for (int x = r[2]; x < r[3]; x++) {
                weights[r[1] + x] += gaussian[r[0] + x];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int[] r : rows) {
                int tileBase = c * p + r[0];
                int imgBase = c * n + r[1];
                for (int x = r[2]; x < r[3]; x++) {
                    aggregated[imgBase + x] += probs[tileBase + x] * gaussian[r[0] + x];
                }
            }
        }
    }
}
