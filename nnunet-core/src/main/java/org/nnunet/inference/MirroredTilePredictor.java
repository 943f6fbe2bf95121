package org.nnunet.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * Softmax of one tile averaged over its mirrored copies, v1.7.1
 * {@code SegmentationNetwork._internal_maybe_mirror_and_pred_3D} / {@code _2D}: every subset of the mirror axes is
 * flipped on the input, the softmax of the output flipped back and added with weight {@code 1 / 2^len(axes)}, in v1's
 * order (none, last axis, second-to-last, both, first, ...).
 *
 * <p>Memory: v1 runs the copies one after another; we run them in groups of {@code mirrorBatch} forward passes (1 =
 * v1), so the network's activations exist for at most that many copies at once, and add each copy's softmax straight
 * into the one result array, read through the flip (no flipped copy of the output).
 */
final class MirroredTilePredictor {
    private final PatchPredictor network;
    private final int[] netPatch;
    /** The tile as 3D (a 2D patch gets a leading 1). */
    private final int[] patch3;
    /** Flip flags per 3D axis for each mirrored copy, in v1's order. */
    private final List<boolean[]> flips = new ArrayList<>();
    private final float weight;
    private final int mirrorBatch;

    MirroredTilePredictor(PatchPredictor network, int[] netPatch, int[] mirrorAxes, int mirrorBatch) {
        if (mirrorBatch < 1) {
            throw new IllegalArgumentException("mirror batch must be at least 1, got " + mirrorBatch);
        }
        this.network = network;
        this.netPatch = netPatch.clone();
        this.mirrorBatch = mirrorBatch;
        int dims = netPatch.length;
        this.patch3 = dims == 3 ? netPatch.clone() : new int[] {1, netPatch[0], netPatch[1]};
        int offset = 3 - dims;
        boolean[] allowed = new boolean[dims];
        for (int a : mirrorAxes) {
            if (a < 0 || a >= dims) {
                throw new IllegalArgumentException("mirror axis " + a + " invalid for a " + dims + "D network");
            }
            allowed[a] = true;
        }
        for (int m = 0; m < (1 << dims); m++) {
            boolean[] f = new boolean[3];
            boolean ok = true;
            for (int bit = 0; bit < dims; bit++) {
                if ((m & (1 << bit)) != 0) {
                    int axis = dims - 1 - bit;
                    ok &= allowed[axis];
                    f[axis + offset] = true;
                }
            }
            if (ok) {
                flips.add(f);
            }
        }
        this.weight = 1f / flips.size();
    }

    int copies() {
        return flips.size();
    }

    /** @return softmax {@code [classes, tile]} averaged over the mirrored copies, in the unflipped frame */
    float[] predict(float[] tile, int channels) {
        int k = network.numClasses();
        int p = patch3[0] * patch3[1] * patch3[2];
        float[] result = new float[k * p];
        for (int start = 0; start < flips.size(); start += mirrorBatch) {
            List<boolean[]> group = flips.subList(start, Math.min(flips.size(), start + mirrorBatch));
            List<float[]> inputs = new ArrayList<>(group.size());
            for (boolean[] f : group) {
                inputs.add(flip(tile, channels, f));
            }
            List<float[]> logits = network.predictLogits(inputs, channels, netPatch);
            for (int i = 0; i < group.size(); i++) {
                float[] out = logits.get(i);
                if (out.length != k * p) {
                    throw new IllegalStateException("network returned " + out.length + " values for a tile, expected "
                            + k + " classes x " + p + " voxels");
                }
                softmaxInPlace(out, k, p);
                addFlippedBack(out, k, group.get(i), result);
            }
        }
        return result;
    }

    /** {@code result += weight * flip(probs)}: a flip is its own inverse, so reading through it flips back. */
    private void addFlippedBack(float[] probs, int classes, boolean[] f, float[] result) {
        int[] s = patch3;
        int p = s[0] * s[1] * s[2];
        for (int c = 0; c < classes; c++) {
            int o = c * p;
            for (int z = 0; z < s[0]; z++) {
                int sz = f[0] ? s[0] - 1 - z : z;
                for (int y = 0; y < s[1]; y++) {
                    int sy = f[1] ? s[1] - 1 - y : y;
                    int row = c * p + (sz * s[1] + sy) * s[2];
                    for (int x = 0; x < s[2]; x++) {
                        result[o++] += weight * probs[row + (f[2] ? s[2] - 1 - x : x)];
                    }
                }
            }
        }
    }

    private float[] flip(float[] a, int channels, boolean[] f) {
        if (!f[0] && !f[1] && !f[2]) {
            return a;
        }
        int[] s = patch3;
        int p = s[0] * s[1] * s[2];
        float[] out = new float[a.length];
        for (int c = 0; c < channels; c++) {
            int o = c * p;
            for (int z = 0; z < s[0]; z++) {
                int sz = f[0] ? s[0] - 1 - z : z;
                for (int y = 0; y < s[1]; y++) {
                    int sy = f[1] ? s[1] - 1 - y : y;
                    int row = c * p + (sz * s[1] + sy) * s[2];
                    for (int x = 0; x < s[2]; x++) {
                        out[o++] = a[row + (f[2] ? s[2] - 1 - x : x)];
                    }
                }
            }
        }
        return out;
    }

    /** Softmax over the class axis of {@code [classes, p]} (v1 {@code softmax_helper}), max-shifted. */
    static void softmaxInPlace(float[] a, int classes, int p) {
        for (int i = 0; i < p; i++) {
            float max = a[i];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, a[c * p + i]);
            }
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(a[c * p + i] - max);
                a[c * p + i] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                a[c * p + i] /= sum;
            }
        }
    }
}
