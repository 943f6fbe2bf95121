package org.nnunet.nifti;

/** The NIfTI datatypes we read and write, with their header codes and byte sizes. */
public enum NiftiDataType {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8),
    INT8(256, 1), UINT16(512, 2), UINT32(768, 4), INT64(1024, 8);

    public final int code;
    public final int bytes;

    NiftiDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }
}
