package org.nnunet.nifti;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nnunet.image.Volume;

/**
 * Entry points of our NIfTI-1/2 reader and writer. PLACEHOLDER SIGNATURES: the NIfTI work item replaces the bodies
 * (and may add classes in this package), keeping these signatures so other packages can code against them.
 */
public final class NiftiIO {
    private NiftiIO() {}

    /** Reads a 3D image (a 4D file with one volume is accepted). Errors name the file and the problem. */
    public static Volume read(Path file) throws IOException {
        throw new UnsupportedOperationException("NIfTI reader not implemented yet");
    }

    /** Reads every 3D volume of a 3D or 4D file (4th dim = channel/modality), each with the file's 3D geometry. */
    public static List<Volume> readChannels(Path file) throws IOException {
        throw new UnsupportedOperationException("NIfTI reader not implemented yet");
    }

    /** Writes a 3D image with the given datatype; {@code .nii.gz} names are gzipped. Written atomically. */
    public static void write(Volume volume, NiftiDataType type, Path file) throws IOException {
        throw new UnsupportedOperationException("NIfTI writer not implemented yet");
    }
}
