package org.nnunet.nifti;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nnunet.image.Volume;

/**
 * Entry points of our NIfTI-1/2 reader and writer (single-file {@code .nii} / {@code .nii.gz}, either byte
 * order). Geometry comes out as SimpleITK reports it (see {@link NiftiGeometry}), voxels in (z, y, x) C order with
 * {@code scl_slope}/{@code scl_inter} applied. Every problem with a file is a {@link NiftiFormatException} naming it.
 */
public final class NiftiIO {
    private NiftiIO() {}

    /** Reads a 3D image (a 4D file with one volume is accepted). Errors name the file and the problem. */
    public static Volume read(Path file) throws IOException {
        return NiftiReader.read(file, true).volumes().get(0);
    }

    /** Reads every 3D volume of a 3D or 4D file (4th dim = channel/modality), each with the file's 3D geometry. */
    public static List<Volume> readChannels(Path file) throws IOException {
        return NiftiReader.read(file, false).volumes();
    }

    /** Reads every volume together with the header, e.g. to write a result back with the same codes and version. */
    public static NiftiImage readWithHeader(Path file) throws IOException {
        return NiftiReader.read(file, false);
    }

    /** Reads only the header, e.g. to learn a file's number of dimensions without decoding its voxels. */
    public static NiftiHeader readHeader(Path file) throws IOException {
        return NiftiReader.readHeader(file);
    }

    /** Writes a 3D image with the given datatype; {@code .nii.gz} names are gzipped. Written atomically. */
    public static void write(Volume volume, NiftiDataType type, Path file) throws IOException {
        NiftiWriter.write(volume, type, file, null);
    }

    /**
     * Like {@link #write(Volume, NiftiDataType, Path)}, keeping {@code like}'s NIfTI version, byte order, qform and
     * sform codes (code 1 where {@code like} had none), units, intent code and description.
     */
    public static void write(Volume volume, NiftiDataType type, Path file, NiftiHeader like) throws IOException {
        NiftiWriter.write(volume, type, file, like);
    }
}
