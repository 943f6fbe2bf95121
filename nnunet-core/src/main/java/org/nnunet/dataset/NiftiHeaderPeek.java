package org.nnunet.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nnunet.nifti.NiftiDataType;

/**
 * The header fields the Decathlon conversion needs to decide, without decoding the voxels, whether a file is 3D
 * (copied as is) or 4D (split): number of dimensions, volumes, datatype. Reads only the first 540 bytes.
 */
record NiftiHeaderPeek(int ndim, long volumes, NiftiDataType datatype) {

    static NiftiHeaderPeek of(Path file) throws IOException {
        byte[] header = new byte[540];
        int n;
        try (InputStream in = open(file)) {
            n = in.readNBytes(header, 0, header.length);
        }
        ByteBuffer b = ByteBuffer.wrap(header, 0, n);
        if (n < 348) {
            throw new IOException(file + ": too short for a NIfTI header (" + n + " bytes)");
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
        int size = b.getInt(0);
        if (size != 348 && size != 540) {
            b.order(ByteOrder.BIG_ENDIAN);
            size = b.getInt(0);
        }
        int ndim;
        long volumes;
        int code;
        if (size == 348) {
            ndim = b.getShort(40);
            volumes = ndim >= 4 ? b.getShort(48) : 1;
            code = b.getShort(70);
        } else if (size == 540 && n == 540) {
            code = b.getShort(12);
            ndim = (int) b.getLong(16);
            volumes = ndim >= 4 ? b.getLong(48) : 1;
        } else {
            throw new IOException(file + ": not a NIfTI-1 or NIfTI-2 file (sizeof_hdr " + size + ")");
        }
        NiftiDataType type = NiftiDataType.fromCode(code)
                .orElseThrow(() -> new IOException(file + ": unsupported NIfTI datatype code " + code));
        return new NiftiHeaderPeek(ndim, volumes, type);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
    }
}
