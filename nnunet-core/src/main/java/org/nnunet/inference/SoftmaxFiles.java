package org.nnunet.inference;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Softmax arrays on disk in numpy formats: {@code .npz} as v1's {@code np.savez_compressed(f, softmax=...)} (a
 * deflated zip holding {@code softmax.npy}) and plain {@code .npy}; float16 ({@code '<f2'}, v1's
 * {@code --save_npz}) or float32. Reading also accepts {@code '<f8'}. Arrays are {@code [classes, z, y, x]}, C order.
 */
public final class SoftmaxFiles {
    /** The array name v1 stores in its npz files. */
    public static final String NPZ_KEY = "softmax";
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private SoftmaxFiles() {}

    /** Writes {@code .npz} (zip with {@code softmax.npy}) when the name ends in .npz, else a bare {@code .npy}. */
    public static void write(SoftmaxVolume softmax, Path file, boolean float16) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                if (file.getFileName().toString().endsWith(".npz")) {
                    ZipOutputStream zip = new ZipOutputStream(os);
                    zip.putNextEntry(new ZipEntry(NPZ_KEY + ".npy"));
                    writeNpy(softmax, zip, float16);
                    zip.closeEntry();
                    zip.finish();
                } else {
                    writeNpy(softmax, os, float16);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeNpy(SoftmaxVolume s, OutputStream out, boolean float16) throws IOException {
        int[] sh = s.shape();
        String dict = "{'descr': '" + (float16 ? "<f2" : "<f4") + "', 'fortran_order': False, 'shape': ("
                + s.numClasses() + ", " + sh[0] + ", " + sh[1] + ", " + sh[2] + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >>> 8)});
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        float[] d = s.data();
        int bytes = float16 ? 2 : 4;
        ByteBuffer buf = ByteBuffer.allocate(8192 * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < d.length; off += 8192) {
            int n = Math.min(8192, d.length - off);
            buf.clear();
            for (int i = 0; i < n; i++) {
                if (float16) {
                    buf.putShort(Float16.fromFloat(d[off + i]));
                } else {
                    buf.putFloat(d[off + i]);
                }
            }
            out.write(buf.array(), 0, n * bytes);
        }
    }

    /** Reads a softmax written by us or by numpy ({@code .npz}: the {@code softmax} array; else {@code .npy}). */
    public static SoftmaxVolume read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            if (file.getFileName().toString().endsWith(".npz")) {
                ZipInputStream zip = new ZipInputStream(in);
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    if (e.getName().equals(NPZ_KEY + ".npy")) {
                        return readNpy(zip, file);
                    }
                }
                throw new IOException(file + ": no '" + NPZ_KEY + "' array in the npz");
            }
            return readNpy(in, file);
        }
    }

    private static SoftmaxVolume readNpy(InputStream raw, Path file) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a numpy .npy array (bad magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            int headerLen;
            if (major == 1) {
                headerLen = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
            } else {
                headerLen = Integer.reverseBytes(in.readInt());
            }
            byte[] hb = new byte[headerLen];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shape = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shape.find()) {
                throw new IOException(file + ": unreadable npy header " + header.trim());
            }
            if (fortran.group(1).equals("True")) {
                throw new IOException(file + ": Fortran-order arrays are not supported");
            }
            if (descr.group(1).equals(">") || !descr.group(2).equals("f")) {
                throw new IOException(file + ": softmax must be little-endian float, got " + descr.group(0));
            }
            int bytes = Integer.parseInt(descr.group(3));
            String[] dims = shape.group(1).split(",");
            int[] s = new int[4];
            int k = 0;
            for (String dim : dims) {
                if (!dim.isBlank()) {
                    if (k == 4) {
                        throw new IOException(file + ": softmax must be 4D (classes, z, y, x), shape ("
                                + shape.group(1) + ")");
                    }
                    s[k++] = Integer.parseInt(dim.trim());
                }
            }
            if (k != 4) {
                throw new IOException(file + ": softmax must be 4D (classes, z, y, x), shape (" + shape.group(1) + ")");
            }
            int n = s[0] * s[1] * s[2] * s[3];
            float[] data = new float[n];
            byte[] chunk = new byte[8192 * bytes];
            ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            for (int off = 0; off < n; off += 8192) {
                int m = Math.min(8192, n - off);
                in.readFully(chunk, 0, m * bytes);
                bb.clear();
                for (int i = 0; i < m; i++) {
                    data[off + i] = switch (bytes) {
                        case 2 -> Float16.toFloat(bb.getShort());
                        case 4 -> bb.getFloat();
                        case 8 -> (float) bb.getDouble();
                        default -> throw new IOException(file + ": unsupported float size " + bytes);
                    };
                }
            }
            return new SoftmaxVolume(s[0], new int[] {s[1], s[2], s[3]}, data);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated npy data", e);
        }
    }
}
