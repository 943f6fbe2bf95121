package org.nnunet.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy {@code .npy} files, format version 1.0: little-endian float32 ({@code '<f4'}), C order.
 * {@code numpy.load} reads them as they are; nnU-Net keeps its cropped and preprocessed cases in this layout
 * ((c, z, y, x), the segmentation as the last channel).
 */
public final class NpyWriter {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads the header so the data starts on a multiple of 64 bytes. */
    private static final int ALIGN = 64;
    private static final int CHUNK = 1 << 16;

    private NpyWriter() {}

    public static void write(Path file, NpyArray array) throws IOException {
        write(file, array.shape(), array.data());
    }

    /**
     * Writes the concatenation of {@code parts} (C order) with the given shape, e.g. the channels of a case and its
     * segmentation without copying them into one array first. Written to a temporary file, then moved into place.
     */
    public static void write(Path file, int[] shape, float[]... parts) throws IOException {
        long expected = 1;
        for (int s : shape) {
            expected *= s;
        }
        long total = 0;
        for (float[] p : parts) {
            total += p.length;
        }
        if (total != expected) {
            throw new IllegalArgumentException("cannot write " + file + ": shape " + Arrays.toString(shape)
                    + " needs " + expected + " values, got " + total);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header(shape)));
            ByteBuffer buf = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] p : parts) {
                for (int off = 0; off < p.length; off += CHUNK) {
                    int n = Math.min(CHUNK, p.length - off);
                    buf.clear();
                    buf.asFloatBuffer().put(p, off, n);
                    buf.limit(n * Float.BYTES);
                    writeFully(ch, buf);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Magic, version 1.0, header length, then the dict padded with spaces and ended by a newline. */
    static byte[] header(int[] shape) {
        return header(shape, "<f4");
    }

    /** The header for another dtype, e.g. {@code '|u1'}. */
    static byte[] header(int[] shape, String descr) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String sh = "(" + dims + (shape.length == 1 ? ",)" : ")"); // numpy writes a 1-tuple as (n,)
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
        String text = dict + " ".repeat(pad) + "\n";
        byte[] textBytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + textBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) textBytes.length).put(textBytes);
        return b.array();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
