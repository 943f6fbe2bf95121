package org.nnunet.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;

/**
 * Writes a 3D volume as a single-file NIfTI with the same sform and qform (so ITK, which prefers the sform, and
 * tools reading the qform agree), pixdim = spacing, unscaled voxels ({@code scl_slope = 1}). The file appears
 * atomically: it is written to a temporary file in the target directory, then moved over the target.
 */
final class NiftiWriter {
    private static final int XFORM_SCANNER_ANAT = 1;
    private static final int STREAM_BUFFER = 1 << 16;

    private NiftiWriter() {}

    /** {@code like} (may be null) supplies version, byte order, xform codes, units, intent and description. */
    static void write(Volume volume, NiftiDataType type, Path file, NiftiHeader like) throws IOException {
        String name = file.getFileName().toString();
        boolean gzip = name.endsWith(".nii.gz");
        if (!gzip && !name.endsWith(".nii")) {
            throw new NiftiFormatException(file, "a NIfTI file name must end with .nii or .nii.gz");
        }
        checkGeometry(volume.geometry(), file);
        NiftiHeader header = header(volume.shape(), volume.geometry(), type, like);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (OutputStream out = open(tmp, gzip)) {
                out.write(NiftiHeaderCodec.encode(header, type));
                new VoxelCodec(type, header.byteOrder(), volume.voxelCount()).encode(volume.data(), out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The affine must be invertible (the reader's rule), or neither the sform nor the qform can describe it. */
    private static void checkGeometry(ImageGeometry g, Path file) throws NiftiFormatException {
        double[] s = g.itkSpacing();
        boolean finite = Arrays.stream(NiftiGeometry.toRasAffine(g)).allMatch(Double::isFinite);
        boolean positive = s[0] > 0 && s[1] > 0 && s[2] > 0;
        double det = NiftiGeometry.directionDeterminant(g.itkDirection());
        if (!finite || !positive || !(Math.abs(det) >= NiftiGeometry.MIN_DIRECTION_DETERMINANT)) {
            throw new NiftiFormatException(file, "cannot write a singular or non-finite geometry " + g);
        }
    }

    private static OutputStream open(Path tmp, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(tmp);
        if (!gzip) {
            return new BufferedOutputStream(raw, STREAM_BUFFER);
        }
        // level 1, as nibabel: several times faster than the default for a slightly larger file
        return new GZIPOutputStream(raw, STREAM_BUFFER) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** The header we write for a (z, y, x) volume of this geometry; {@code like} as in {@link #write}. */
    static NiftiHeader header(int[] shape, ImageGeometry g, NiftiDataType type, NiftiHeader like) {
        boolean fitsNifti1 = shape[0] <= Short.MAX_VALUE && shape[1] <= Short.MAX_VALUE
                && shape[2] <= Short.MAX_VALUE;
        int version = like != null && like.version() == 2 || !fitsNifti1 ? 2 : 1;
        double[] spacing = g.itkSpacing();
        double[] q = NiftiGeometry.quaternion(g);
        double[] affine = NiftiGeometry.toRasAffine(g);
        double[] pixdim = {q[3], spacing[0], spacing[1], spacing[2], 0, 0, 0, 0};
        long[] dim = {3, shape[2], shape[1], shape[0], 1, 1, 1, 1};
        return new NiftiHeader(version, like == null ? ByteOrder.LITTLE_ENDIAN : like.byteOrder(), dim, type.code,
                pixdim, 0, 1, 0, code(like == null ? 0 : like.qformCode()), code(like == null ? 0 : like.sformCode()),
                new double[] {q[0], q[1], q[2]}, new double[] {affine[3], affine[7], affine[11]}, affine,
                like == null ? NiftiHeader.UNITS_MM_SEC : like.xyztUnits(), like == null ? 0 : like.intentCode(),
                like == null ? "" : like.descrip());
    }

    private static int code(int original) {
        return original > 0 ? original : XFORM_SCANNER_ANAT;
    }
}
