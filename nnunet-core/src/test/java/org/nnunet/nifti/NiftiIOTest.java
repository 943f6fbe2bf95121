package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    @DisplayName("readHeader gives the dimensions of a .nii.gz without its voxels; a 0-byte file names the file")
    void readsHeaderOnly() throws IOException {
        Path gz = tmp.resolve("h.nii.gz");
        NiftiIO.write(new Volume(new int[] {4, 5, 6}, new float[120], ImageGeometry.identity(new double[] {1, 1, 2})),
                NiftiDataType.INT16, gz);
        NiftiHeader h = NiftiIO.readHeader(gz);
        assertArrayEquals(new long[] {3, 6, 5, 4, 1, 1, 1, 1}, h.dim());
        assertEquals(NiftiDataType.INT16.code, h.datatypeCode());
        Path empty = Files.createFile(tmp.resolve("empty.nii.gz"));
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiIO.readHeader(empty));
        assertTrue(e.getMessage().startsWith(empty.toString()), e.getMessage());
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

    @Test
    @DisplayName("read, write with the read header, read again: identical geometry, codes kept (ch2: sform_code 4)")
    void rewriteKeepsGeometryExactly() throws IOException {
        assumeTrue(Files.exists(CH2), "mricron-data absent");
        NiftiImage original = NiftiIO.readWithHeader(CH2);
        Volume v = original.volumes().get(0);
        Path copy = tmp.resolve("ch2_copy.nii.gz");
        NiftiIO.write(v, original.dataType(), copy, original.header());
        NiftiImage back = NiftiIO.readWithHeader(copy);
        assertEquals(v, back.volumes().get(0)); // shape, every voxel and the geometry, bit for bit
        assertEquals(4, back.header().sformCode());
        assertEquals(1, back.header().qformCode()); // ch2 had none; we always write a qform
        assertArrayEquals(original.header().srow(), back.header().srow());
        assertEquals(NiftiDataType.UINT8, back.dataType());
    }

    @Test
    @DisplayName("a rotated, left-handed geometry survives NIfTI-1 float32 storage within float precision")
    void rotatedGeometryRoundTrip() throws IOException {
        ImageGeometry g = NiftiNibabelCrossCheckTest.geometry(true, 3);
        Volume v = new Volume(new int[] {2, 3, 4}, new float[24], g);
        Path file = tmp.resolve("rot.nii");
        NiftiIO.write(v, NiftiDataType.INT16, file);
        NiftiImage back = NiftiIO.readWithHeader(file);
        assertEquals(true, g.approximatelyEquals(back.volumes().get(0).geometry(), 1e-6));
        assertEquals(-1.0, back.header().pixdim()[0]); // qfac of a left-handed frame
        // the qform alone (sform dropped) gives the same geometry
        NiftiHeader h = back.header();
        NiftiHeader qformOnly = new NiftiHeader(1, h.byteOrder(), h.dim(), h.datatypeCode(), h.pixdim(),
                h.dataOffset(), 1, 0, 1, 0, h.quatern(), h.qoffset(), h.srow(), h.xyztUnits(), 0, "");
        assertEquals(true, g.approximatelyEquals(NiftiGeometry.toItk(qformOnly, file), 1e-6));
    }

    @Test
    @DisplayName("4D file with dim[4] = 1 is a 3D image for read()")
    void fourDimensionalSingleVolume() throws IOException {
        Path file = tmp.resolve("one.nii");
        Volume v = new Volume(new int[] {2, 3, 4}, new float[24], ImageGeometry.identity(new double[] {3, 2, 1}));
        NiftiIO.write(v, NiftiDataType.FLOAT32, file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) 4).putShort(48, (short) 1);
        Files.write(file, bytes);
        assertArrayEquals(new int[] {2, 3, 4}, NiftiIO.read(file).shape());
        assertArrayEquals(new double[] {3, 2, 1}, NiftiIO.read(file).geometry().spacingZYX());
    }

    @Test
    @DisplayName("writing replaces the target atomically and leaves no temporary file")
    void atomicOverwrite() throws IOException {
        Path file = tmp.resolve("seg.nii.gz");
        ImageGeometry g = ImageGeometry.identity(new double[] {1, 1, 1});
        NiftiIO.write(new Volume(new int[] {1, 1, 2}, new float[] {1, 2}, g), NiftiDataType.UINT8, file);
        NiftiIO.write(new Volume(new int[] {1, 1, 2}, new float[] {3, 4}, g), NiftiDataType.UINT8, file);
        assertArrayEquals(new float[] {3, 4}, NiftiIO.read(file).data());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(file), s.toList());
        }
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiIO.write(
                new Volume(new int[] {1, 1, 1}, new float[1], g), NiftiDataType.UINT8, tmp.resolve("seg.mha")));
        assertTrue(e.getMessage().contains("must end with .nii or .nii.gz"), e.getMessage());
        ImageGeometry flat = new ImageGeometry(new double[] {1, 0, 1}, new double[3], g.itkDirection());
        e = assertThrows(NiftiFormatException.class, () -> NiftiIO.write(
                new Volume(new int[] {1, 1, 1}, new float[1], flat), NiftiDataType.UINT8, tmp.resolve("flat.nii")));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
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
