package org.nnunet.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/**
 * Streams a single-file NIfTI-1/2 image ({@code .nii}, or gzipped whatever its name) straight into float arrays.
 * Every size is checked against the header, the file length and the heap before anything large is allocated.
 */
final class NiftiReader {
    /** DEFLATE cannot compress better than about 1032:1, so a shorter .gz cannot hold the voxels it claims. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final int STREAM_BUFFER = 1 << 16;

    private NiftiReader() {}

    static NiftiImage read(Path file, boolean singleVolume) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER)) {
            boolean gzip = isGzip(raw);
            InputStream in = gzip ? new GZIPInputStream(raw, STREAM_BUFFER) : raw;
            NiftiHeader h = NiftiHeaderCodec.decode(in, file);
            NiftiDataType type = dataType(h, file);
            long volumes = h.volumeCount();
            if (singleVolume && volumes != 1) {
                throw new NiftiFormatException(file, "has " + volumes + " volumes (dims "
                        + Arrays.toString(h.dim()) + "), expected a 3D image");
            }
            long voxels = h.voxelsPerVolume();
            checkSizes(h, type, voxels, volumes, fileSize, gzip, file);
            boolean scale = h.hasScaling();
            if (scale && !Double.isFinite(h.sclInter())) {
                throw new NiftiFormatException(file, "valid scl_slope " + h.sclSlope() + " but invalid scl_inter "
                        + h.sclInter());
            }
            ImageGeometry geometry = NiftiGeometry.toItk(h, file);
            VoxelCodec codec = new VoxelCodec(type, h.byteOrder(), voxels);
            List<Volume> out = new ArrayList<>((int) Math.min(volumes, 64));
            for (long v = 0; v < volumes; v++) {
                float[] data = allocate((int) voxels, v, volumes, file);
                codec.decode(in, data, scale, h.sclSlope(), h.sclInter(), file, v * voxels * type.bytes);
                out.add(new Volume(h.shapeZYX(), data, geometry));
            }
            if (gzip) { // read to the end so GZIPInputStream checks the CRC and length in the trailer
                in.transferTo(OutputStream.nullOutputStream());
            }
            return new NiftiImage(h, out);
        } catch (ZipException e) {
            throw new NiftiFormatException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new NiftiFormatException(file, "truncated gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes only the header (gzip-aware): the dimensions of a file without reading its voxels. */
    static NiftiHeader readHeader(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER)) {
            return NiftiHeaderCodec.decode(isGzip(raw) ? new GZIPInputStream(raw, STREAM_BUFFER) : raw, file);
        } catch (ZipException e) {
            throw new NiftiFormatException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new NiftiFormatException(file, "truncated gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /** The size checks bound each array by the maximum heap; a heap already full of live data can still fail. */
    private static float[] allocate(int voxels, long volume, long volumes, Path file) throws NiftiFormatException {
        try {
            return new float[voxels];
        } catch (OutOfMemoryError e) {
            throw new NiftiFormatException(file, "not enough heap for volume " + (volume + 1) + " of " + volumes
                    + " (" + ((long) voxels * Float.BYTES >> 20) + " MB of voxels)");
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static NiftiDataType dataType(NiftiHeader h, Path file) throws NiftiFormatException {
        return NiftiDataType.fromCode(h.datatypeCode()).orElseThrow(() -> new NiftiFormatException(file,
                "unsupported datatype code " + h.datatypeCode() + " (supported: "
                        + Arrays.stream(NiftiDataType.values()).map(t -> t + "=" + t.code).toList() + ")"));
    }

    private static void checkSizes(NiftiHeader h, NiftiDataType type, long voxels, long volumes, long fileSize,
            boolean gzip, Path file) throws NiftiFormatException {
        String dims = "dims " + Arrays.toString(h.dim());
        if (voxels > Integer.MAX_VALUE - 8) {
            throw new NiftiFormatException(file, dims + " give " + voxels
                    + " voxels per volume, more than a Java array holds (2^31 - 1)");
        }
        if (volumes > Integer.MAX_VALUE - 8) {
            throw new NiftiFormatException(file, dims + " give " + volumes + " volumes, more than a list holds");
        }
        long dataBytes;
        long heapBytes;
        try {
            dataBytes = Math.multiplyExact(Math.multiplyExact(voxels, volumes), (long) type.bytes);
            heapBytes = Math.multiplyExact(voxels, volumes) * Float.BYTES;
        } catch (ArithmeticException e) {
            throw new NiftiFormatException(file, dims + " describe more voxels than fit in 64 bits");
        }
        long needed = h.dataOffset() + dataBytes;
        if (!gzip && fileSize < needed) {
            throw new NiftiFormatException(file, dims + " and datatype " + type + " need " + needed
                    + " bytes (header, then " + dataBytes + " bytes of voxels), but the file has only " + fileSize);
        }
        if (gzip && fileSize < needed / MAX_DEFLATE_RATIO) {
            throw new NiftiFormatException(file, dims + " and datatype " + type + " need " + needed
                    + " uncompressed bytes, more than a " + fileSize + "-byte gzip file can hold");
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (heapBytes > maxHeap) {
            throw new NiftiFormatException(file, dims + " need " + (heapBytes >> 20)
                    + " MB of heap for the voxels, more than the JVM's maximum heap of " + (maxHeap >> 20) + " MB");
        }
    }
}
