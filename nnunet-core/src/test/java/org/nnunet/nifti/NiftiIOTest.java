package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/** Reading real files and writing them back; golden numbers from nibabel 5.0 on the same files. */
class NiftiIOTest {
    static final Path SHARED = Path.of(System.getProperty("nnunet.shared.dir", "../shared"));
    static final Path HIPPOCAMPUS = SHARED.resolve("data/Task04_Hippocampus");
    static final Path CH2 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");

    @TempDir
    Path tmp;

    @Test
    @DisplayName("hippocampus_001: array (z, y, x) = nibabel's (x, y, z) transposed; LPS geometry as SimpleITK")
    void readsHippocampusImage() throws IOException {
        Path file = HIPPOCAMPUS.resolve("imagesTr/hippocampus_001.nii.gz");
        assumeTrue(Files.exists(file), "shared data absent");
        Volume v = NiftiIO.read(file);
        assertArrayEquals(new int[] {35, 51, 35}, v.shape());
        assertEquals(3968524.0, sum(v.data()), 0.0); // nibabel: dataobj.astype(float64).sum()
        assertEquals(101f, v.get(30, 20, 10)); // nibabel: dataobj[10, 20, 30]
        ImageGeometry g = v.geometry();
        assertArrayEquals(new double[] {1, 1, 1}, g.itkSpacing());
        assertArrayEquals(new double[] {-1, -1, 1}, g.itkOrigin()); // RAS qoffset (1, 1, 1)
        assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, g.itkDirection());
    }

    @Test
    @DisplayName("every Task04_Hippocampus image and label reads, label shape = image shape")
    void readsAllHippocampusFiles() throws IOException {
        assumeTrue(Files.isDirectory(HIPPOCAMPUS), "shared data absent");
        List<Path> labels;
        try (Stream<Path> s = Files.list(HIPPOCAMPUS.resolve("labelsTr"))) {
            labels = s.filter(p -> p.getFileName().toString().startsWith("hippocampus")).sorted().toList();
        }
        assertEquals(208, labels.size());
        for (Path label : labels) {
            Volume seg = NiftiIO.read(label);
            Volume img = NiftiIO.read(HIPPOCAMPUS.resolve("imagesTr").resolve(label.getFileName()));
            assertArrayEquals(img.shape(), seg.shape(), label.toString());
            assertEquals(img.geometry(), seg.geometry(), label.toString());
        }
    }

    @Test
    @DisplayName("ch2 template (qform_code 0, sform_code 4): sform geometry")
    void readsCh2WithSform() throws IOException {
        assumeTrue(Files.exists(CH2), "mricron-data absent");
        Volume v = NiftiIO.read(CH2);
        assertArrayEquals(new int[] {181, 217, 181}, v.shape());
        assertEquals(317151210.0, sum(v.data()), 0.0);
        assertEquals(37f, v.get(80, 100, 90));
        assertArrayEquals(new double[] {90, 125, -71}, v.geometry().itkOrigin()); // RAS (-90, -125, -71)
    }

    @Test
    @DisplayName("write then read keeps shape, geometry and values (float32 .nii.gz, uint8 .nii)")
    void roundTrip() throws IOException {
        ImageGeometry g = new ImageGeometry(new double[] {0.7, 0.8, 3.1}, new double[] {-12.5, 40.25, 7},
                rotation(0.3));
        float[] data = new float[4 * 5 * 6];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 1.5f - 20;
        }
        Volume v = new Volume(new int[] {4, 5, 6}, data, g);
        Path gz = tmp.resolve("a.nii.gz");
        NiftiIO.write(v, NiftiDataType.FLOAT32, gz);
        Volume back = NiftiIO.read(gz);
        assertArrayEquals(v.data(), back.data());
        assertArrayEquals(v.shape(), back.shape());
        assertEquals(true, g.approximatelyEquals(back.geometry(), 1e-5), back.geometry().toString());

        Path nii = tmp.resolve("b.nii");
        NiftiIO.write(v, NiftiDataType.UINT8, nii);
        Volume labels = NiftiIO.read(nii);
        assertEquals(0f, labels.data()[0]); // -20 clamps to 0
        assertEquals(158f, labels.data()[data.length - 1]); // 158.5 rounds half to even
        assertEquals(352 + data.length, Files.size(nii));
    }

    static double[] rotation(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    static double sum(float[] a) {
        double s = 0;
        for (float x : a) {
            s += x;
        }
        return s;
    }
}
