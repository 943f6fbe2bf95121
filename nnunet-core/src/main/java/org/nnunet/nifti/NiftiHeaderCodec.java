package org.nnunet.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Byte layout of the NIfTI-1 (348 bytes) and NIfTI-2 (540 bytes) headers, from the standard's nifti1.h / nifti2.h.
 * The byte order is detected from {@code sizeof_hdr}, as nifti_io and nibabel do.
 */
final class NiftiHeaderCodec {
    static final int NIFTI1_SIZE = 348;
    static final int NIFTI2_SIZE = 540;
    private static final byte[] MAGIC1 = {'n', '+', '1', 0};
    private static final byte[] PAIR_MAGIC1 = {'n', 'i', '1', 0};
    private static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};
    private static final byte[] PAIR_MAGIC2 = {'n', 'i', '2', 0, '\r', '\n', 0x1a, '\n'};

    private NiftiHeaderCodec() {}

    /** Reads the header and skips extensions, leaving {@code in} at the first voxel byte. */
    static NiftiHeader decode(InputStream in, Path file) throws IOException {
        byte[] start = readFully(in, 4, file, "header");
        int sizeLe = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int sizeBe = Integer.reverseBytes(sizeLe);
        ByteOrder order;
        int size;
        if (sizeLe == NIFTI1_SIZE || sizeLe == NIFTI2_SIZE) {
            order = ByteOrder.LITTLE_ENDIAN;
            size = sizeLe;
        } else if (sizeBe == NIFTI1_SIZE || sizeBe == NIFTI2_SIZE) {
            order = ByteOrder.BIG_ENDIAN;
            size = sizeBe;
        } else {
            throw new NiftiFormatException(file, "not a NIfTI file: sizeof_hdr is " + sizeLe
                    + " (expected 348 for NIfTI-1 or 540 for NIfTI-2, in either byte order)");
        }
        byte[] bytes = Arrays.copyOf(start, size);
        System.arraycopy(readFully(in, size - 4, file, "header"), 0, bytes, 4, size - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        NiftiHeader header = size == NIFTI1_SIZE ? decode1(b, file) : decode2(b, file);
        // the 4-byte extension flag, then extensions up to vox_offset: skipped, we do not use them
        readFully(in, 4, file, "extension flag after the header");
        long skip = header.dataOffset() - size - 4;
        try {
            in.skipNBytes(skip);
        } catch (java.io.EOFException e) {
            throw new NiftiFormatException(file, "truncated: file ends before vox_offset " + header.dataOffset());
        }
        return header;
    }

    private static NiftiHeader decode1(ByteBuffer b, Path file) throws NiftiFormatException {
        checkMagic(b, 344, MAGIC1, PAIR_MAGIC1, file);
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getShort(40 + 2 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getFloat(76 + 4 * i);
        }
        double voxOffset = b.getFloat(108);
        if (!(voxOffset >= 0) || voxOffset > Long.MAX_VALUE || voxOffset != Math.rint(voxOffset)) {
            throw new NiftiFormatException(file, "invalid vox_offset " + voxOffset);
        }
        double[] srow = new double[12];
        for (int i = 0; i < 12; i++) {
            srow[i] = b.getFloat(280 + 4 * i);
        }
        return new NiftiHeader(1, b.order(), checkDims(dim, file), b.getShort(70), pixdim,
                dataOffset((long) voxOffset, NIFTI1_SIZE), b.getFloat(112), b.getFloat(116), b.getShort(252),
                b.getShort(254), new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)},
                new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)}, srow, b.get(123) & 0xff,
                b.getShort(68), text(b, 148, 80));
    }

    private static NiftiHeader decode2(ByteBuffer b, Path file) throws NiftiFormatException {
        checkMagic(b, 4, MAGIC2, PAIR_MAGIC2, file);
        long[] dim = new long[8];
        for (int i = 0; i < 8; i++) {
            dim[i] = b.getLong(16 + 8 * i);
        }
        double[] pixdim = new double[8];
        for (int i = 0; i < 8; i++) {
            pixdim[i] = b.getDouble(104 + 8 * i);
        }
        long voxOffset = b.getLong(168);
        if (voxOffset < 0) {
            throw new NiftiFormatException(file, "invalid vox_offset " + voxOffset);
        }
        double[] srow = new double[12];
        for (int i = 0; i < 12; i++) {
            srow[i] = b.getDouble(400 + 8 * i);
        }
        return new NiftiHeader(2, b.order(), checkDims(dim, file), b.getShort(12), pixdim,
                dataOffset(voxOffset, NIFTI2_SIZE), b.getDouble(176), b.getDouble(184), b.getInt(344),
                b.getInt(348), new double[] {b.getDouble(352), b.getDouble(360), b.getDouble(368)},
                new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)}, srow, b.getInt(500),
                b.getInt(504), text(b, 240, 80));
    }

    /** Header plus a zero extension flag; voxels follow immediately ({@code vox_offset} = header size + 4). */
    static byte[] encode(NiftiHeader h, NiftiDataType type) {
        int size = h.headerSize();
        ByteBuffer b = ByteBuffer.allocate(size + 4).order(h.byteOrder());
        b.putInt(0, size);
        long[] dim = h.dim();
        double[] pixdim = h.pixdim();
        double[] q = h.quatern();
        double[] qo = h.qoffset();
        double[] srow = h.srow();
        byte[] descrip = Arrays.copyOf(h.descrip().getBytes(StandardCharsets.US_ASCII), 79);
        if (h.version() == 1) {
            b.put(38, (byte) 'r');
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, (short) dim[i]);
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putShort(68, (short) h.intentCode());
            b.putShort(70, (short) type.code);
            b.putShort(72, (short) (8 * type.bytes));
            b.putFloat(108, size + 4);
            b.putFloat(112, (float) h.sclSlope());
            b.putFloat(116, (float) h.sclInter());
            b.put(123, (byte) h.xyztUnits());
            b.put(148, descrip);
            b.putShort(252, (short) h.qformCode());
            b.putShort(254, (short) h.sformCode());
            for (int i = 0; i < 3; i++) {
                b.putFloat(256 + 4 * i, (float) q[i]);
                b.putFloat(268 + 4 * i, (float) qo[i]);
            }
            for (int i = 0; i < 12; i++) {
                b.putFloat(280 + 4 * i, (float) srow[i]);
            }
            b.put(344, MAGIC1);
        } else {
            b.put(4, MAGIC2);
            b.putShort(12, (short) type.code);
            b.putShort(14, (short) (8 * type.bytes));
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, size + 4);
            b.putDouble(176, h.sclSlope());
            b.putDouble(184, h.sclInter());
            b.put(240, descrip);
            b.putInt(344, h.qformCode());
            b.putInt(348, h.sformCode());
            for (int i = 0; i < 3; i++) {
                b.putDouble(352 + 8 * i, q[i]);
                b.putDouble(376 + 8 * i, qo[i]);
            }
            for (int i = 0; i < 12; i++) {
                b.putDouble(400 + 8 * i, srow[i]);
            }
            b.putInt(500, h.xyztUnits());
            b.putInt(504, h.intentCode());
        }
        return b.array();
    }

    private static long dataOffset(long voxOffset, int headerSize) {
        return Math.max(voxOffset, headerSize + 4);
    }

    private static long[] checkDims(long[] dim, Path file) throws NiftiFormatException {
        if (dim[0] < 1 || dim[0] > 7) {
            throw new NiftiFormatException(file, "invalid dim[0] = " + dim[0] + " (number of dimensions must be 1..7)");
        }
        long voxels = 1;
        for (int i = 1; i <= dim[0]; i++) {
            if (dim[i] < 1) {
                throw new NiftiFormatException(file, "invalid dim[" + i + "] = " + dim[i]
                        + " (sizes must be positive), dims " + Arrays.toString(dim));
            }
            // NIfTI-2 sizes are 64-bit: their product must not wrap around into a small or zero voxel count
            try {
                voxels = Math.multiplyExact(voxels, dim[i]);
            } catch (ArithmeticException e) {
                throw new NiftiFormatException(file, "dims " + Arrays.toString(dim)
                        + " describe more voxels than fit in 64 bits");
            }
        }
        return dim;
    }

    private static void checkMagic(ByteBuffer b, int at, byte[] magic, byte[] pairMagic, Path file)
            throws NiftiFormatException {
        byte[] found = new byte[magic.length];
        b.get(at, found);
        if (Arrays.equals(found, pairMagic)) {
            throw new NiftiFormatException(file, "header of a .hdr/.img pair; only single-file .nii is supported");
        }
        if (!Arrays.equals(found, magic)) {
            throw new NiftiFormatException(file, "wrong magic " + printable(found) + " (expected "
                    + printable(magic) + ")");
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder("'");
        for (byte x : bytes) {
            s.append(x >= 32 && x < 127 ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.append('\'').toString();
    }

    private static String text(ByteBuffer b, int at, int length) {
        byte[] raw = new byte[length];
        b.get(at, raw);
        int end = 0;
        while (end < length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    static byte[] readFully(InputStream in, int n, Path file, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new NiftiFormatException(file, "truncated: file ends inside the " + what);
        }
        return bytes;
    }
}
