package org.nnunet.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Export resampling against v1.7.1 {@code resample_data_or_seg(is_seg=False, order=1, order_z=0)} written out with
 * skimage 0.19 / scipy (the branch structure of v1, the library calls it makes).
 */
class V1SoftmaxResamplerTest {

    private static final String ORACLE = String.join("\n",
            "import numpy as np, sys",
            "from skimage.transform import resize",
            "from scipy.ndimage import map_coordinates",
            "shape = tuple(int(v) for v in sys.argv[1].split(','))",
            "new = tuple(int(v) for v in sys.argv[2].split(','))",
            "sep = int(sys.argv[3])",
            "data = np.fromfile(sys.argv[4], '<f4').reshape(shape).astype(float)",
            "out = []",
            "for c in range(shape[0]):",
            "    if sep < 0:",
            "        out.append(resize(data[c], new, 1, mode='edge', anti_aliasing=False))",
            "        continue",
            "    assert sep == 0",
            "    r = np.stack([resize(data[c, s], new[1:], 1, mode='edge', anti_aliasing=False)"
                    + " for s in range(shape[1])], 0)",
            "    if shape[1] != new[0]:",
            "        rows, cols, dim = new",
            "        o_rows, o_cols, o_dim = r.shape",
            "        mr, mc, md = np.mgrid[:rows, :cols, :dim]",
            "        mr = float(o_rows) / rows * (mr + 0.5) - 0.5",
            "        mc = float(o_cols) / cols * (mc + 0.5) - 0.5",
            "        md = float(o_dim) / dim * (md + 0.5) - 0.5",
            "        r = map_coordinates(r, np.array([mr, mc, md]), order=0, cval=0, mode='nearest')",
            "    out.append(r)",
            "np.stack(out).astype('<f4').tofile(sys.argv[5])");

    private static float[] oracle(Path dir, SoftmaxVolume s, int[] newShape, int sepAxis)
            throws IOException, InterruptedException {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "python with skimage not found at " + python);
        Path in = dir.resolve("in.f32");
        Path out = dir.resolve("out.f32");
        ByteBuffer b = ByteBuffer.allocate(s.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : s.data()) {
            b.putFloat(v);
        }
        Files.write(in, b.array());
        int[] sh = s.shape();
        Process p = new ProcessBuilder(python, "-c", ORACLE, s.numClasses() + "," + sh[0] + "," + sh[1] + "," + sh[2],
                newShape[0] + "," + newShape[1] + "," + newShape[2], String.valueOf(sepAxis), in.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        float[] r = new float[s.numClasses() * newShape[0] * newShape[1] * newShape[2]];
        ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
        return r;
    }

    private static SoftmaxVolume randomSoftmax(int[] shape) {
        int n = shape[0] * shape[1] * shape[2];
        float[] d = new float[2 * n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            d[i] = r.nextFloat();
            d[n + i] = 1 - d[i];
        }
        return new SoftmaxVolume(2, shape, d);
    }

    @Test
    @DisplayName("save_segmentation_nifti_from_softmax resampling: isotropic spacing -> order-1 resize of each class")
    void isotropic(@TempDir Path dir) throws IOException, InterruptedException {
        SoftmaxVolume s = randomSoftmax(new int[] {5, 7, 6});
        int[] target = {8, 10, 9};
        SoftmaxVolume r = new V1SoftmaxResampler().resample(s, target, new double[] {1.5, 1.4, 1.5},
                new double[] {1, 1, 1});
        assertArrayEquals(target, r.shape());
        float[] e = oracle(dir, s, target, -1);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], r.data()[i], 1e-5, "value " + i);
        }
    }

    @Test
    @DisplayName("save_segmentation_nifti_from_softmax resampling: anisotropic original spacing -> separate z, z order 0")
    void separateZ(@TempDir Path dir) throws IOException, InterruptedException {
        SoftmaxVolume s = randomSoftmax(new int[] {6, 9, 8});
        int[] target = {4, 13, 11};
        SoftmaxVolume r = new V1SoftmaxResampler().resample(s, target, new double[] {4.0, 0.7, 0.7},
                new double[] {2.67, 1.0, 1.0});
        float[] e = oracle(dir, s, target, 0);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], r.data()[i], 1e-5, "value " + i);
        }
    }
}
