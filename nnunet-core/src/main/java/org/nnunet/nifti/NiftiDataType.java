package org.nnunet.nifti;

import java.util.Optional;

/** The NIfTI datatypes we read and write, with their header codes and byte sizes. */
public enum NiftiDataType {
    UINT8(2, 1, 0, 255), INT16(4, 2, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 4, Integer.MIN_VALUE, Integer.MAX_VALUE), FLOAT32(16, 4, 0, 0), FLOAT64(64, 8, 0, 0),
    INT8(256, 1, Byte.MIN_VALUE, Byte.MAX_VALUE), UINT16(512, 2, 0, 65535), UINT32(768, 4, 0, 4294967295L),
    INT64(1024, 8, Long.MIN_VALUE, Long.MAX_VALUE);

    public final int code;
    public final int bytes;
    /** Value range of integer types (writing clamps to it); unused for floating point types. */
    final long min;
    final long max;

    NiftiDataType(int code, int bytes, long min, long max) {
        this.code = code;
        this.bytes = bytes;
        this.min = min;
        this.max = max;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The datatype with this header code, empty for codes we do not support (complex, RGB, float128...). */
    public static Optional<NiftiDataType> fromCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
