package org.nnunet.storage;

/**
 * What {@link TemporaryLeftovers#sweepTemporary} removed: temporary objects (or files) and their bytes, and
 * incomplete multipart uploads it aborted (S3 only; their stored parts are not counted in {@code bytes}).
 */
public record SweptLeftovers(int objects, long bytes, int multipartUploads) {

    public static final SweptLeftovers NONE = new SweptLeftovers(0, 0, 0);

    public boolean isEmpty() {
        return objects == 0 && multipartUploads == 0;
    }
}
