package org.nnunet.nifti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/**
 * A 512x512x500 float32 volume (500 MiB of voxels) must read in a JVM whose heap could not hold the voxels twice:
 * proof that the reader decodes from the stream into the float[] without a full byte[] copy.
 */
class NiftiStreamingReadTest {
    static final int X = 512;
    static final int Y = 512;
    static final int Z = 500;
    /** float[] of 500 MiB plus 300 MiB: a full byte[] copy (another 500 MiB) cannot fit. */
    private static final String HEAP = "-Xmx800m";

    @TempDir
    Path tmp;

    @Test
    @DisplayName("512x512x500 float32 .nii reads in a child JVM with -Xmx800m (1.6x the voxel array)")
    void largeVolumeStreamsIntoFloatArray() throws IOException, InterruptedException {
        Path file = tmp.resolve("large.nii");
        writeLarge(file);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("OK "), out);
    }

    /** Writes the header with our writer's header code, then the voxels slice by slice: value = index mod 65521. */
    static void writeLarge(Path file) throws IOException {
        NiftiHeader h = NiftiWriter.header(new int[] {Z, Y, X}, ImageGeometry.identity(new double[] {2, 0.5, 0.5}),
                NiftiDataType.FLOAT32, null);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(NiftiHeaderCodec.encode(h, NiftiDataType.FLOAT32)));
            ByteBuffer slice = ByteBuffer.allocateDirect(X * Y * 4).order(ByteOrder.LITTLE_ENDIAN);
            long index = 0;
            for (int z = 0; z < Z; z++) {
                slice.clear();
                for (int i = 0; i < X * Y; i++) {
                    slice.putFloat(expected(index++));
                }
                slice.flip();
                while (slice.hasRemaining()) {
                    ch.write(slice);
                }
            }
        }
    }

    static float expected(long index) {
        return index % 65521;
    }

    /** Runs in the child JVM: reads the file, checks every voxel, prints "OK". */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            Volume v = NiftiIO.read(Path.of(args[0]));
            if (!List.of(Z, Y, X).equals(List.of(v.shape()[0], v.shape()[1], v.shape()[2]))) {
                throw new AssertionError("shape " + v);
            }
            float[] data = v.data();
            for (int i = 0; i < data.length; i++) {
                if (data[i] != expected(i)) {
                    throw new AssertionError("voxel " + i + " = " + data[i]);
                }
            }
            System.out.println("OK " + data.length + " voxels, max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB");
        }
    }
}
