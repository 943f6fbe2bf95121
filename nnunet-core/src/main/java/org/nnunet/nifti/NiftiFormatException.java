package org.nnunet.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one error our NIfTI reader and writer raise for unreadable or unsupported input (bad magic, truncated data,
 * corrupt gzip, impossible dims, unsupported datatype...). The message always starts with the file.
 */
public class NiftiFormatException extends IOException {

    public NiftiFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public NiftiFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
