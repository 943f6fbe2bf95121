package org.nnunet.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiFormatException;
import org.nnunet.nifti.NiftiHeader;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.nifti.NiftiImage;

/**
 * Coverage-guided fuzzing (Jazzer) of the NIfTI reader, issue 9 "Bad input": every input either reads into volumes
 * that agree with its header and survive a write/read round trip, or is rejected with a
 * {@link NiftiFormatException} whose message starts with the file. Any other exception, an OutOfMemoryError (the
 * fuzzing JVM has a 512 MB heap, see the {@code fuzz} profile of the pom) or an input taking more than 10 s is a
 * finding. Without {@code JAZZER_FUZZ} (plain {@code mvn test}) each test replays its seeds and past findings from
 * {@code src/test/resources/org/nnunet/fuzz/NiftiReaderFuzzTestInputs/<method>/}.
 */
class NiftiReaderFuzzTest {

    @TempDir
    static Path dir;

    /** The raw bytes as a file: seeds are real .nii and .nii.gz files (the reader detects gzip by its magic). */
    @Timeout(10)
    @FuzzTest(maxDuration = "60s")
    void niftiFile(byte[] bytes) throws IOException {
        Path file = dir.resolve("input.nii.gz");
        Files.write(file, bytes);
        readOrReject(file);
    }

    /** The bytes gzipped first, so mutations reach the header and voxels behind a valid gzip stream. */
    @Timeout(10)
    @FuzzTest(maxDuration = "60s")
    void gzippedNifti(byte[] bytes) throws IOException {
        Path file = dir.resolve("input.nii.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        readOrReject(file);
    }

    private static void readOrReject(Path file) throws IOException {
        NiftiImage image;
        try {
            image = NiftiIO.readWithHeader(file);
        } catch (NiftiFormatException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), "message names the file: " + e.getMessage());
            return;
        }
        NiftiHeader h = image.header();
        List<Volume> volumes = image.volumes();
        assertEquals(h.volumeCount(), volumes.size(), "one volume per 4th-dimension entry");
        int[] shape = {(int) h.size(3), (int) h.size(2), (int) h.size(1)};
        for (Volume v : volumes) {
            assertArrayEquals(shape, v.shape(), "volume shape is (dim[3], dim[2], dim[1])");
            assertEquals(h.voxelsPerVolume(), v.data().length);
        }
        ImageGeometry g = volumes.get(0).geometry();
        for (int i = 0; i < 3; i++) {
            assertTrue(g.itkSpacing()[i] > 0 && Double.isFinite(g.itkSpacing()[i]), "spacing " + g);
            assertTrue(Double.isFinite(g.itkOrigin()[i]), "origin " + g);
        }
        for (double d : g.itkDirection()) {
            assertTrue(Double.isFinite(d) && Math.abs(d) <= 1 + 1e-9, "direction " + g);
        }
        roundTrip(volumes.get(0), h, file.resolveSibling("roundtrip.nii"));
    }

    /**
     * Float32 keeps every voxel exactly; the geometry goes through float (NIfTI-1) or double (NIfTI-2) fields, so
     * spacing agrees to float precision (absolute {@code Float.MIN_NORMAL} for spacings in float's subnormal range).
     */
    private static void roundTrip(Volume volume, NiftiHeader like, Path out) throws IOException {
        NiftiIO.write(volume, NiftiDataType.FLOAT32, out, like);
        Volume back = NiftiIO.read(out);
        assertArrayEquals(volume.shape(), back.shape());
        assertArrayEquals(volume.data(), back.data(), "voxels survive a float32 write and read");
        ImageGeometry g = volume.geometry();
        ImageGeometry b = back.geometry();
        for (int i = 0; i < 3; i++) {
            double tolerance = 1e-5 * g.itkSpacing()[i] + Float.MIN_NORMAL;
            assertEquals(g.itkSpacing()[i], b.itkSpacing()[i], tolerance, "spacing " + g + " " + b);
        }
    }
}
