package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole tiled prediction against a numpy transcription of v1.7.1 {@code _internal_predict_3D_3Dconv_tiled}
 * ({@code pad_nd_image}, {@code _get_gaussian}, {@code _compute_steps_for_sliding_window},
 * {@code _internal_maybe_mirror_and_pred_3D}) driving the same fake network: a position-dependent,
 * not mirror-equivariant function, so padding (z: 5 in a patch of 8, 1 voxel before), tile placement, flips and Gaussian weights all
 * show.
 */
class SlidingWindowParityTest {

    /** logits[c] = (c + 1) * x + 0.3 * c * (local z) - 0.2 * c * (local x) + 0.1 * (local y) * (c == 2). */
    static final class PositionNet implements PatchPredictor {
        @Override
        public float[] predictLogits(float[] patch, int channels, int[] s) {
            int p = s[0] * s[1] * s[2];
            float[] out = new float[3 * p];
            for (int c = 0; c < 3; c++) {
                for (int z = 0; z < s[0]; z++) {
                    for (int y = 0; y < s[1]; y++) {
                        for (int x = 0; x < s[2]; x++) {
                            int i = (z * s[1] + y) * s[2] + x;
                            out[c * p + i] = (c + 1) * patch[i] + 0.3f * c * z - 0.2f * c * x
                                    + (c == 2 ? 0.1f * y : 0f);
                        }
                    }
                }
            }
            return out;
        }

        @Override
        public int numClasses() {
            return 3;
        }
    }

    private static final String ORACLE = String.join("\n",
            "import numpy as np",
            "from scipy.ndimage import gaussian_filter",
            "import sys",
            "shape = tuple(int(v) for v in sys.argv[1].split(','))",
            "patch = tuple(int(v) for v in sys.argv[2].split(','))",
            "img = np.fromfile(sys.argv[3], '<f4').reshape(shape)",
            "def net(x):",
            "    s = x.shape",
            "    z, y, xx = np.meshgrid(np.arange(s[0]), np.arange(s[1]), np.arange(s[2]), indexing='ij')",
            "    out = np.stack([(c + 1) * x + np.float32(0.3) * c * z - np.float32(0.2) * c * xx"
                    + " + (np.float32(0.1) * y if c == 2 else 0) for c in range(3)]).astype(np.float32)",
            "    e = np.exp(out - out.max(0, keepdims=True))",
            "    return (e / e.sum(0, keepdims=True)).astype(np.float32)",
            "new = [max(a, b) for a, b in zip(shape, patch)]",
            "below = [(n - s) // 2 for n, s in zip(new, shape)]",
            "data = np.pad(img, [(b, n - s - b) for b, n, s in zip(below, new, shape)], 'constant')",
            "tmp = np.zeros(patch); tmp[tuple(i // 2 for i in patch)] = 1",
            "g = gaussian_filter(tmp, [i / 8 for i in patch], 0, mode='constant', cval=0)",
            "g = (g / g.max()).astype(np.float32); g[g == 0] = g[g != 0].min()",
            "steps = []",
            "for d in range(3):",
            "    n = int(np.ceil((data.shape[d] - patch[d]) / (patch[d] * 0.5))) + 1",
            "    a = (data.shape[d] - patch[d]) / (n - 1) if n > 1 else 99999999999",
            "    steps.append([int(np.round(a * i)) for i in range(n)])",
            "agg = np.zeros((3,) + data.shape, np.float32); w = np.zeros(data.shape, np.float32)",
            "flips = [(), (2,), (1,), (2, 1), (0,), (2, 0), (1, 0), (1, 0, 2)]",
            "for z in steps[0]:",
            "  for y in steps[1]:",
            "    for x in steps[2]:",
            "      t = data[z:z + patch[0], y:y + patch[1], x:x + patch[2]]",
            "      r = np.zeros((3,) + patch, np.float32)",
            "      for f in flips:",
            "        p = net(np.flip(t, f) if f else t)",
            "        r += np.float32(1 / 8) * (np.flip(p, tuple(a + 1 for a in f)) if f else p)",
            "      r *= g",
            "      agg[:, z:z + patch[0], y:y + patch[1], x:x + patch[2]] += r",
            "      w[z:z + patch[0], y:y + patch[1], x:x + patch[2]] += g",
            "sl = tuple(slice(b, b + s) for b, s in zip(below, shape))",
            "res = agg[(slice(None),) + sl] / w[sl]",
            "res.astype('<f4').tofile(sys.argv[4])");

    @Test
    @DisplayName("_internal_predict_3D_3Dconv_tiled with 8 mirrorings: equal to a numpy transcription within 1e-5")
    void matchesNumpyTranscription(@TempDir Path dir) throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "python with numpy not found at " + python);
        int[] shape = {5, 13, 11};
        int[] patch = {8, 6, 6};
        float[] img = new float[5 * 13 * 11];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) Math.sin(i * 0.41) * 1.5f;
        }
        Path in = dir.resolve("img.f32");
        Path out = dir.resolve("res.f32");
        ByteBuffer b = ByteBuffer.allocate(img.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : img) {
            b.putFloat(v);
        }
        Files.write(in, b.array());
        Process p = new ProcessBuilder(python, "-c", ORACLE, "5,13,11", "8,6,6", in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        float[] expected = new float[3 * img.length];
        ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);

        SoftmaxVolume ours = new SlidingWindowPredictor(new PositionNet(), patch,
                SlidingWindowPredictor.Settings.defaults(3)).predict(new float[][] {img}, shape);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], ours.data()[i], 1e-5, "value " + i);
        }
    }
}
