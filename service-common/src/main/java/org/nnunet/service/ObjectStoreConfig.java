package org.nnunet.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a service keeps its objects ({@code nnunet.store.*}): a folder on the local filesystem (the embedded
 * default) or a bucket on MinIO / any S3-compatible server.
 */
@ConfigMapping(prefix = "nnunet.store")
public interface ObjectStoreConfig {

    enum Kind { FILESYSTEM, S3 }

    /** {@code filesystem} or {@code s3}. */
    @WithDefault("filesystem")
    Kind kind();

    /** Root folder when {@code kind=filesystem}; created if missing. */
    @WithDefault("nnunet-data")
    Path root();

    S3 s3();

    interface S3 {
        /** e.g. {@code http://127.0.0.1:9000}; required when {@code kind=s3}. */
        Optional<String> endpoint();

        Optional<String> accessKey();

        Optional<String> secretKey();

        @WithDefault("nnunet")
        String bucket();

        /** Create the bucket at startup if it does not exist (off by default: buckets are provisioned). */
        @WithDefault("false")
        boolean createBucket();
    }
}
