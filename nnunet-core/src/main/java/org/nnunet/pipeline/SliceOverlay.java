package org.nnunet.pipeline;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * An axial slice (one index of the array's first axis, z) of an image drawn in grayscale (0.5-99.5 percentile
 * window of the slice) with the labels as colored half-transparent overlay, scaled up by an integer factor (nearest
 * neighbour) so small images stay readable. The slice shown is the one with the most labelled voxels.
 */
public final class SliceOverlay {
    private static final int[][] COLORS = {{230, 25, 75}, {60, 180, 75}, {255, 225, 25}, {0, 130, 200},
            {245, 130, 48}, {145, 30, 180}, {70, 240, 240}, {240, 50, 230}};
    private static final double ALPHA = 0.45;

    private SliceOverlay() {}

    /** The z index with the most voxels of label > 0 (the middle slice if there is none). */
    public static int sliceWithLargestLabelArea(int[] labels, int[] shape) {
        int plane = shape[1] * shape[2];
        int best = shape[0] / 2;
        int bestCount = 0;
        for (int z = 0; z < shape[0]; z++) {
            int n = 0;
            for (int i = z * plane; i < (z + 1) * plane; i++) {
                if (labels[i] > 0) {
                    n++;
                }
            }
            if (n > bestCount) {
                bestCount = n;
                best = z;
            }
        }
        return best;
    }

    /** @param image and labels (z, y, x) C-order of the same shape; rows of the picture are y, columns x */
    public static BufferedImage render(float[] image, int[] labels, int[] shape, int z, int minSize) {
        int h = shape[1];
        int w = shape[2];
        int plane = h * w;
        float[] slice = Arrays.copyOfRange(image, z * plane, (z + 1) * plane);
        float[] sorted = slice.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(0.005 * (plane - 1))];
        double hi = sorted[(int) Math.ceil(0.995 * (plane - 1))];
        double range = hi > lo ? hi - lo : 1;
        int scale = Math.max(1, (int) Math.ceil((double) minSize / Math.max(h, w)));
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = (int) Math.round(255 * Math.min(1, Math.max(0, (slice[y * w + x] - lo) / range)));
                int r = g;
                int gg = g;
                int b = g;
                int label = labels[z * plane + y * w + x];
                if (label > 0) {
                    int[] c = COLORS[(label - 1) % COLORS.length];
                    r = (int) Math.round((1 - ALPHA) * g + ALPHA * c[0]);
                    gg = (int) Math.round((1 - ALPHA) * g + ALPHA * c[1]);
                    b = (int) Math.round((1 - ALPHA) * g + ALPHA * c[2]);
                }
                int rgb = (r << 16) | (gg << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        return out;
    }

    /** CSS color of a label in the overlay, for the report's legend. */
    public static String cssColor(int label) {
        int[] c = COLORS[(label - 1) % COLORS.length];
        return String.format("rgb(%d,%d,%d)", c[0], c[1], c[2]);
    }

    public static String pngBase64(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
