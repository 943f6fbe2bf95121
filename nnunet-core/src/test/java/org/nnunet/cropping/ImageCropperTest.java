package org.nnunet.cropping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.util.NpyArray;
import org.nnunet.util.NpyReader;
import org.nnunet.util.NpyWriter;

/** nnU-Net v1 preprocessing/cropping.py: crop_to_nonzero and the properties ImageCropper records. */
class ImageCropperTest {
    private static final int[] SHAPE = {6, 7, 8};
    private static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {0.5, 0.6, 2.0},
            new double[] {1, 2, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    @TempDir
    Path dir;

    private static int idx(int z, int y, int x) {
        return (z * SHAPE[1] + y) * SHAPE[2] + x;
    }

    /**
     * Nonzero in z 1..4, y 2..5, x 1..6 (a zero border around it) except: a hole at (2,3,3) enclosed on all sides,
     * and the box corner (1,2,1) which is zero and touches the outside background.
     */
    private static float[] image() {
        float[] img = new float[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        for (int z = 1; z <= 4; z++) {
            for (int y = 2; y <= 5; y++) {
                for (int x = 1; x <= 6; x++) {
                    img[idx(z, y, x)] = 10 + x;
                }
            }
        }
        img[idx(2, 3, 3)] = 0;
        img[idx(1, 2, 1)] = 0;
        return img;
    }

    private static int cidx(int z, int y, int x) {
        return (z * 4 + y) * 6 + x; // cropped shape (4, 4, 6)
    }

    @Test
    @DisplayName("crop_to_nonzero: box of the nonzero mask (upper exclusive), hole filled, seg -1 only where label 0"
            + " and outside the filled mask; classes = np.unique(seg) with -1")
    void cropsToNonzeroBox() throws IOException {
        float[] seg = new float[image().length];
        seg[idx(2, 3, 3)] = 0; // label background in the hole: stays 0 because the hole is filled
        seg[idx(3, 4, 4)] = 2;
        CroppedCase c = ImageCropper.crop("case", List.of(image()), seg, SHAPE, GEOMETRY, List.of("img.nii.gz"),
                "seg.nii.gz");
        CaseProperties p = c.properties();
        assertArrayEquals(new int[][] {{1, 5}, {2, 6}, {1, 7}}, p.cropBbox());
        assertArrayEquals(new int[] {4, 4, 6}, p.sizeAfterCropping());
        assertArrayEquals(SHAPE, p.originalSizeOfRawData());
        assertArrayEquals(new double[] {2.0, 0.6, 0.5}, p.originalSpacing(), 0);
        assertEquals(4 * 4 * 6, c.seg().length);
        assertEquals(0f, c.seg()[cidx(1, 1, 2)], "hole (2,3,3) is inside the filled mask");
        assertEquals(-1f, c.seg()[cidx(0, 0, 0)], "zero corner (1,2,1) touches the border: outside the mask");
        assertEquals(2f, c.seg()[cidx(2, 2, 3)]);
        assertEquals(0f, c.seg()[cidx(0, 0, 1)]);
        long minusOnes = 0;
        for (float v : c.seg()) {
            minusOnes += v == -1f ? 1 : 0;
        }
        assertEquals(1, minusOnes);
        assertArrayEquals(new double[] {-1, 0, 2}, p.classes(), 0);
        assertEquals(11f + 1, c.channels().get(0)[cidx(0, 0, 1)], "data cropped with the same box");
        assertEquals(96.0 / 336.0, p.sizeReduction(), 1e-12);
    }

    @Test
    @DisplayName("crop_to_nonzero without seg: stored seg is 0 inside the nonzero mask and -1 outside")
    void noSegmentation() throws IOException {
        CroppedCase c = ImageCropper.crop("case", List.of(image()), null, SHAPE, GEOMETRY, List.of("img.nii.gz"),
                null);
        assertEquals(-1f, c.seg()[cidx(0, 0, 0)]);
        assertEquals(0f, c.seg()[cidx(1, 1, 2)]);
        assertArrayEquals(new double[] {-1, 0}, c.properties().classes(), 0);
    }

    @Test
    @DisplayName("create_nonzero_mask: OR over channels (a voxel nonzero in channel 2 only is inside)")
    void maskIsUnionOverChannels() throws IOException {
        float[] second = new float[image().length];
        second[idx(0, 0, 0)] = 5;
        CroppedCase c = ImageCropper.crop("case", List.of(image(), second), null, SHAPE, GEOMETRY,
                List.of("a", "b"), null);
        assertArrayEquals(new int[][] {{0, 5}, {0, 6}, {0, 7}}, c.properties().cropBbox());
    }

    @Test
    @DisplayName("an all-zero image is rejected with the case and file named")
    void allZeroRejected() {
        IOException e = assertThrows(IOException.class, () -> ImageCropper.crop("empty_case",
                List.of(new float[336]), null, SHAPE, GEOMETRY, List.of("empty.nii.gz"), null));
        assertTrue(e.getMessage().contains("empty_case") && e.getMessage().contains("empty.nii.gz"));
    }

    @Test
    @DisplayName("cropped folder: CASE.npy holds (c+1, z, y, x) with seg last, CASE.json the properties")
    void folderRoundTrip() throws IOException {
        CroppedCase c = ImageCropper.crop("hippo_001", List.of(image()), new float[336], SHAPE, GEOMETRY,
                List.of("img.nii.gz"), "seg.nii.gz");
        CroppedDataFolder f = new CroppedDataFolder(dir);
        f.write(c);
        assertEquals(List.of("hippo_001"), f.caseIds());
        NpyArray a = f.readData("hippo_001");
        assertArrayEquals(new int[] {2, 4, 4, 6}, a.shape());
        assertArrayEquals(c.seg(), a.slice(1));
        CaseProperties p = f.readProperties("hippo_001");
        assertArrayEquals(c.properties().cropBbox(), p.cropBbox());
        assertEquals(GEOMETRY, p.geometry());
        assertEquals("seg.nii.gz", p.segFile());
        assertTrue(Files.readString(f.propertiesFile("hippo_001")).contains("\"size_after_cropping\""));
    }

    @Test
    @DisplayName("fill holes matches scipy.ndimage.binary_fill_holes (default 6-connectivity) on a random volume")
    void fillHolesMatchesScipy() throws Exception {
        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)), "no python at " + python);
        int[] shape = {30, 33, 36};
        Random r = new Random(42);
        float[] m = new float[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextDouble() < 0.6 ? 1 : 0;
        }
        Path in = dir.resolve("mask.npy");
        Path out = dir.resolve("filled.npy");
        NpyWriter.write(in, shape, m);
        String script = "import numpy as np,sys\nfrom scipy.ndimage import binary_fill_holes\n"
                + "a=np.load(sys.argv[1])!=0\nnp.save(sys.argv[2], binary_fill_holes(a).astype(np.float32))\n";
        Process p = new ProcessBuilder(python, "-c", script, in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        float[] expected = NpyReader.read(out).data();
        boolean[] ours = NonzeroMask.create(List.of(m), shape);
        int filled = 0;
        for (int i = 0; i < m.length; i++) {
            assertEquals(expected[i] != 0, ours[i], "voxel " + i);
            filled += ours[i] && m[i] == 0 ? 1 : 0;
        }
        assertTrue(filled > 0, "the random volume must have holes for this check to mean something");
    }
}
