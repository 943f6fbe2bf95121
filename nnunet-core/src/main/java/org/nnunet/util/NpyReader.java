package org.nnunet.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format 1.0, 2.0 and 3.0) in C order into float32. Besides our own {@code '<f4'}
 * it accepts the little-endian numeric types numpy commonly writes (f8, integers, bool) and converts them, so arrays
 * written by Python cross-check scripts load too. Errors name the file and the problem.
 */
public final class NpyReader {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.toString());
        }
    }

    /** Reads an array from a stream, e.g. an entry of an {@code .npz}; {@code source} names it in errors. */
    public static NpyArray read(ReadableByteChannel ch, String source) throws IOException {
        Header h = readHeader(ch, source);
        ByteBuffer raw = readExactly(ch, source, Math.multiplyExact(h.count(), h.type().size))
                .order(ByteOrder.LITTLE_ENDIAN);
        return new NpyArray(h.shape(), h.type().toFloats(raw, (int) h.count()));
    }

    /**
     * Memory-maps a float32 {@code .npy} file read-only: the training data loader copies patches straight from the
     * page cache, so a dataset larger than the heap trains without loading it.
     */
    public static MappedNpy map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, file);
            if (h.type() != Dtype.F4) {
                throw new IOException(file + ": only float32 ('<f4') arrays can be memory-mapped");
            }
            long offset = ch.position();
            long bytes = h.count() * 4;
            if (offset + bytes > ch.size()) {
                throw new IOException(file + ": truncated, expected " + bytes + " bytes of data");
            }
            FloatBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            return new MappedNpy(h.shape(), data);
        }
    }

    private record Header(int[] shape, long count, Dtype type) {}

    private static Header readHeader(ReadableByteChannel ch, Object file) throws IOException {
        ByteBuffer pre = readExactly(ch, file, 8);
        for (int i = 0; i < NpyWriter.MAGIC.length; i++) {
            if (pre.get(i) != NpyWriter.MAGIC[i]) {
                throw new IOException(file + ": not a .npy file (bad magic)");
            }
        }
        int major = pre.get(6);
        int headerLen;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(readExactly(ch, file, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
        } else if (major == 2 || major == 3) {
            headerLen = readExactly(ch, file, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new IOException(file + ": unsupported .npy format version " + major);
        }
        String header = StandardCharsets.ISO_8859_1.decode(readExactly(ch, file, headerLen)).toString();
        String descr = group(DESCR, header, file, "descr");
        if ("True".equals(group(FORTRAN, header, file, "fortran_order"))) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        int[] shape = parseShape(group(SHAPE, header, file, "shape"), file);
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": array of " + count + " values is too large");
        }
        return new Header(shape, count, Dtype.of(descr, file));
    }

    private static int[] parseShape(String inside, Object file) throws IOException {
        String trimmed = inside.trim();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        try {
            return Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IOException(file + ": bad shape (" + inside + ")", e);
        }
    }

    private static String group(Pattern p, String header, Object file, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static ByteBuffer readExactly(ReadableByteChannel ch, Object file, long n) throws IOException {
        if (n > Integer.MAX_VALUE) {
            throw new IOException(file + ": array of " + n + " bytes is too large");
        }
        ByteBuffer b = ByteBuffer.allocate((int) n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException(file + ": truncated, expected " + n + " more bytes");
            }
        }
        return b.flip();
    }

    private enum Dtype {
        F4(4), F8(8), I1(1), U1(1), I2(2), U2(2), I4(4), U4(4), I8(8), BOOL(1);

        final int size;

        Dtype(int size) {
            this.size = size;
        }

        static Dtype of(String descr, Object file) throws IOException {
            if (descr.startsWith(">") && !descr.endsWith("1")) {
                throw new IOException(file + ": big-endian dtype " + descr + " is not supported");
            }
            return switch (descr.replaceFirst("^[<|=]", "")) {
                case "f4" -> F4;
                case "f8" -> F8;
                case "i1" -> I1;
                case "u1" -> U1;
                case "i2" -> I2;
                case "u2" -> U2;
                case "i4" -> I4;
                case "u4" -> U4;
                case "i8" -> I8;
                case "b1" -> BOOL;
                default -> throw new IOException(file + ": unsupported dtype " + descr);
            };
        }

        float[] toFloats(ByteBuffer b, int n) {
            float[] out = new float[n];
            switch (this) {
                case F4 -> b.asFloatBuffer().get(out);
                case F8 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(); }
                case I1 -> { for (int i = 0; i < n; i++) out[i] = b.get(); }
                case U1, BOOL -> { for (int i = 0; i < n; i++) out[i] = Byte.toUnsignedInt(b.get()); }
                case I2 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(); }
                case U2 -> { for (int i = 0; i < n; i++) out[i] = Short.toUnsignedInt(b.getShort()); }
                case I4 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(); }
                case U4 -> { for (int i = 0; i < n; i++) out[i] = Integer.toUnsignedLong(b.getInt()); }
                case I8 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(); }
            }
            return out;
        }
    }
}
