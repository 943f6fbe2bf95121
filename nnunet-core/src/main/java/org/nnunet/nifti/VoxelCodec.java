package org.nnunet.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Converts voxels between their on-disk datatype and our float arrays, one chunk at a time, so a volume never
 * exists twice in memory (only the float[] plus one chunk buffer).
 */
final class VoxelCodec {
    /** Largest chunk in bytes: a multiple of every datatype size. */
    static final int CHUNK = 1 << 20;

    private final NiftiDataType type;
    private final ByteOrder order;
    private final byte[] buffer;

    /** {@code voxels}: how many voxels one call converts at most (small images get a small buffer). */
    VoxelCodec(NiftiDataType type, ByteOrder order, long voxels) {
        this.type = type;
        this.order = order;
        this.buffer = new byte[(int) Math.max(type.bytes, Math.min(CHUNK, voxels * type.bytes))];
    }

    /**
     * Fills {@code dst} from {@code in}. With {@code scale}, each value is {@code raw * slope + inter} computed in
     * double (nibabel's rule for scaled data), then rounded to float.
     */
    void decode(InputStream in, float[] dst, boolean scale, double slope, double inter, Path file, long before)
            throws IOException {
        int perChunk = buffer.length / type.bytes;
        for (int off = 0; off < dst.length; off += perChunk) {
            int n = Math.min(perChunk, dst.length - off);
            int want = n * type.bytes;
            int got = in.readNBytes(buffer, 0, want);
            if (got < want) {
                throw new NiftiFormatException(file, "truncated: voxel data ends after "
                        + (before + (long) off * type.bytes + got) + " bytes, the header's dims and datatype "
                        + type + " need more");
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, want).order(order);
            decodeChunk(b, dst, off, n, scale, slope, inter);
        }
    }

    private void decodeChunk(ByteBuffer b, float[] dst, int off, int n, boolean s, double slope, double inter) {
        switch (type) {
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    int r = buffer[i] & 0xff;
                    dst[off + i] = s ? (float) (r * slope + inter) : r;
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    int r = buffer[i];
                    dst[off + i] = s ? (float) (r * slope + inter) : r;
                }
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) {
                    int r = b.getShort(2 * i);
                    dst[off + i] = s ? (float) (r * slope + inter) : r;
                }
            }
            case UINT16 -> {
                for (int i = 0; i < n; i++) {
                    int r = b.getShort(2 * i) & 0xffff;
                    dst[off + i] = s ? (float) (r * slope + inter) : r;
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    int r = b.getInt(4 * i);
                    dst[off + i] = s ? (float) (r * slope + inter) : (float) r;
                }
            }
            case UINT32 -> {
                for (int i = 0; i < n; i++) {
                    long r = b.getInt(4 * i) & 0xffffffffL;
                    dst[off + i] = s ? (float) (r * slope + inter) : (float) r;
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    long r = b.getLong(8 * i);
                    dst[off + i] = s ? (float) (r * slope + inter) : (float) r;
                }
            }
            case FLOAT32 -> {
                if (s) {
                    for (int i = 0; i < n; i++) {
                        dst[off + i] = (float) (b.getFloat(4 * i) * slope + inter);
                    }
                } else {
                    b.asFloatBuffer().get(dst, off, n);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    double r = b.getDouble(8 * i);
                    dst[off + i] = (float) (s ? r * slope + inter : r);
                }
            }
            default -> throw new IllegalStateException("unhandled datatype " + type);
        }
    }

    /** Writes {@code src} in the codec's datatype; integer types get the value rounded half-even, clamped, NaN = 0. */
    void encode(float[] src, OutputStream out) throws IOException {
        int perChunk = buffer.length / type.bytes;
        for (int off = 0; off < src.length; off += perChunk) {
            int n = Math.min(perChunk, src.length - off);
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n * type.bytes).order(order);
            encodeChunk(b, src, off, n);
            out.write(buffer, 0, n * type.bytes);
        }
    }

    private void encodeChunk(ByteBuffer b, float[] src, int off, int n) {
        switch (type) {
            case FLOAT32 -> b.asFloatBuffer().put(src, off, n);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    b.putDouble(8 * i, src[off + i]);
                }
            }
            case UINT8, INT8 -> {
                for (int i = 0; i < n; i++) {
                    buffer[i] = (byte) toInteger(src[off + i]);
                }
            }
            case INT16, UINT16 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort(2 * i, (short) toInteger(src[off + i]));
                }
            }
            case INT32, UINT32 -> {
                for (int i = 0; i < n; i++) {
                    b.putInt(4 * i, (int) toInteger(src[off + i]));
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    b.putLong(8 * i, toInteger(src[off + i]));
                }
            }
            default -> throw new IllegalStateException("unhandled datatype " + type);
        }
    }

    private long toInteger(float v) {
        if (Float.isNaN(v)) {
            return 0;
        }
        double r = Math.rint(v);
        if (r <= type.min) {
            return type.min;
        }
        return r >= type.max ? type.max : (long) r;
    }
}
