package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/** Every kind of broken file ends in a NiftiFormatException naming the file and the problem, never AIOOBE/OOM. */
class NiftiBadInputTest {
    // NIfTI-1 header offsets (nifti1.h)
    private static final int DIM = 40;
    private static final int DATATYPE = 70;
    private static final int SCL_SLOPE = 112;
    private static final int SCL_INTER = 116;
    private static final int MAGIC = 344;

    @TempDir
    Path tmp;

    @Test
    @DisplayName("file cut inside the voxel data (.nii): dims do not fit the file")
    void truncatedNii() throws IOException {
        byte[] bytes = Files.readAllBytes(valid("a.nii"));
        Path cut = write("cut.nii", Arrays.copyOf(bytes, bytes.length - 10));
        assertProblem(cut, "need 832 bytes");
    }

    @Test
    @DisplayName("file cut inside the header")
    void truncatedHeader() throws IOException {
        byte[] bytes = Files.readAllBytes(valid("a.nii"));
        assertProblem(write("cut.nii", Arrays.copyOf(bytes, 200)), "truncated: file ends inside the header");
    }

    @Test
    @DisplayName("gzip stream cut in the middle")
    void truncatedGzip() throws IOException {
        byte[] bytes = Files.readAllBytes(valid("a.nii.gz"));
        assertProblem(write("cut.nii.gz", Arrays.copyOf(bytes, bytes.length / 2)), "truncated");
    }

    @Test
    @DisplayName("complete gzip file whose uncompressed data are shorter than the dims say")
    void gzipWithTooFewVoxels() throws IOException {
        byte[] nii = Files.readAllBytes(valid("a.nii"));
        assertProblem(gzip("short.nii.gz", Arrays.copyOf(nii, nii.length - 8)), "truncated: voxel data ends after");
    }

    @Test
    @DisplayName("corrupt deflate data")
    void corruptGzip() throws IOException {
        byte[] bytes = Files.readAllBytes(valid("a.nii.gz"));
        for (int i = 20; i < bytes.length - 8; i += 3) {
            bytes[i] ^= (byte) 0x5a;
        }
        assertProblem(write("corrupt.nii.gz", bytes), "gzip");
    }

    @Test
    @DisplayName("gzip trailer CRC does not match the data")
    void gzipCrcMismatch() throws IOException {
        byte[] bytes = Files.readAllBytes(valid("a.nii.gz"));
        bytes[bytes.length - 6] ^= 1; // inside the CRC-32 of the trailer
        assertProblem(write("crc.nii.gz", bytes), "corrupt gzip data");
    }

    @Test
    @DisplayName("wrong magic")
    void wrongMagic() throws IOException {
        Path file = valid("a.nii");
        patch(file, MAGIC, new byte[] {'x', 'y', 'z', 0});
        assertProblem(file, "wrong magic 'xyz\\x00'");
    }

    @Test
    @DisplayName("not a NIfTI file at all (sizeof_hdr)")
    void notNifti() throws IOException {
        assertProblem(write("text.nii", "hello, this is not an image".repeat(20).getBytes()), "not a NIfTI file");
    }

    @Test
    @DisplayName(".hdr/.img pair header (magic ni1) is refused")
    void pairHeader() throws IOException {
        Path file = valid("a.nii");
        patch(file, MAGIC, new byte[] {'n', 'i', '1', 0});
        assertProblem(file, ".hdr/.img pair");
    }

    @Test
    @DisplayName("dims larger than the data in the file")
    void dimsDoNotMatchFileSize() throws IOException {
        Path file = valid("a.nii");
        patchShort(file, DIM + 2, 400);
        assertProblem(file, "but the file has only 832");
    }

    @Test
    @DisplayName("negative dim")
    void negativeDim() throws IOException {
        Path file = valid("a.nii");
        patchShort(file, DIM + 4, -5);
        assertProblem(file, "invalid dim[2] = -5");
    }

    @Test
    @DisplayName("zero dim")
    void zeroDim() throws IOException {
        Path file = valid("a.nii");
        patchShort(file, DIM + 6, 0);
        assertProblem(file, "invalid dim[3] = 0");
    }

    @Test
    @DisplayName("dim[0] outside 1..7")
    void badRank() throws IOException {
        Path file = valid("a.nii");
        patchShort(file, DIM, 9);
        assertProblem(file, "invalid dim[0] = 9");
    }

    @Test
    @DisplayName("absurd dims (> 2^31 voxels) in a small file: clear error, nothing allocated")
    void absurdDims() throws IOException {
        Path file = valid("a.nii.gz");
        byte[] nii = Files.readAllBytes(valid("b.nii"));
        ByteBuffer b = ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(DIM + 2, (short) 32000).putShort(DIM + 4, (short) 32000).putShort(DIM + 6, (short) 32000);
        gzip(file.getFileName().toString(), nii);
        assertProblem(file, "more than a Java array holds");
    }

    @Test
    @DisplayName("huge but array-sized dims in a tiny .nii.gz: refused before allocating (deflate ratio bound)")
    void hugeDimsInTinyGzip() throws IOException {
        byte[] nii = Files.readAllBytes(valid("b.nii"));
        ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN).putShort(DIM + 2, (short) 30000)
                .putShort(DIM + 4, (short) 30000).putShort(DIM + 6, (short) 2);
        assertProblem(gzip("huge.nii.gz", nii), "more than a");
    }

    @Test
    @DisplayName("4D file with 2 volumes given to read(): use readChannels")
    void fourDimensionsForRead() throws IOException {
        byte[] nii = Files.readAllBytes(valid("b.nii"));
        ByteBuffer b = ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(DIM, (short) 4).putShort(DIM + 2, (short) 3).putShort(DIM + 8, (short) 2); // 3x5x4 x 2
        Path file = write("four.nii", nii);
        assertProblem(file, "has 2 volumes");
        assertEquals(2, NiftiIO.readChannels(file).size());
    }

    @Test
    @DisplayName("unsupported datatype (complex64 = 32)")
    void unsupportedDatatype() throws IOException {
        Path file = valid("a.nii");
        patchShort(file, DATATYPE, 32);
        assertProblem(file, "unsupported datatype code 32");
    }

    @Test
    @DisplayName("valid scl_slope with an infinite scl_inter (nibabel refuses it too)")
    void invalidIntercept() throws IOException {
        Path file = valid("a.nii");
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(SCL_SLOPE, 2f)
                .putFloat(SCL_INTER, Float.POSITIVE_INFINITY);
        assertProblem(write("a.nii", b), "invalid scl_inter");
    }

    @Test
    @DisplayName("500 random header corruptions: each reads or fails with NiftiFormatException, nothing else")
    void randomHeaderCorruption() throws IOException {
        byte[] original = Files.readAllBytes(valid("a.nii"));
        Random random = new Random(42);
        Path file = tmp.resolve("fuzz.nii");
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            byte[] b = original.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                b[random.nextInt(352)] = (byte) random.nextInt(256);
            }
            Files.write(file, b);
            try {
                NiftiIO.readChannels(file);
            } catch (NiftiFormatException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 50, "only " + refused + " corruptions refused");
    }

    private void assertProblem(Path file, String problem) {
        NiftiFormatException e = assertThrows(NiftiFormatException.class, () -> NiftiIO.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** A valid 4x5x6 int32 image (480 voxel bytes + 352 header bytes uncompressed). */
    private Path valid(String name) throws IOException {
        float[] data = new float[4 * 5 * 6];
        Random random = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt();
        }
        Path file = tmp.resolve(name);
        NiftiIO.write(new Volume(new int[] {4, 5, 6}, data, ImageGeometry.identity(new double[] {1, 1, 1})),
                NiftiDataType.INT32, file);
        return file;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private Path gzip(String name, byte[] bytes) throws IOException {
        Path file = tmp.resolve(name);
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    private static void patch(Path file, int offset, byte[] bytes) throws IOException {
        byte[] b = Files.readAllBytes(file);
        System.arraycopy(bytes, 0, b, offset, bytes.length);
        Files.write(file, b);
    }

    private static void patchShort(Path file, int offset, int value) throws IOException {
        patch(file, offset, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }
}
