package org.nnunet.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a service keeps its objects ({@code nnunet.store.*}, or the environment variables {@code NNUNET_STORE_*}
 * that Quarkus maps onto them): a folder on the local filesystem (the embedded default) or a bucket on MinIO / any
 * S3-compatible server.
 */
@ConfigMapping(prefix = "nnunet.store")
public interface ObjectStoreConfig {

    enum Kind { FILESYSTEM, S3 }

    /** {@code filesystem} or {@code s3}; when absent, {@code s3} if an endpoint is set, else {@code filesystem}. */
    Optional<Kind> kind();

    /** Root folder when the kind is filesystem; created if missing. */
    @WithDefault("nnunet-data")
    Path root();

    /** S3 endpoint, e.g. {@code http://minio:9000}. */
    Optional<String> endpoint();

    Optional<String> accessKey();

    Optional<String> secretKey();

    @WithDefault("nnunet")
    String bucket();

    /** Create the bucket at startup if it does not exist (off by default: buckets are provisioned). */
    @WithDefault("false")
    boolean createBucket();

    /** The periodic sweep of interrupted writes' leftovers ({@link TemporaryLeftoverSweeper}). */
    TempSweep tempSweep();

    interface TempSweep {

        @WithDefault("true")
        boolean enabled();

        /** Period of the sweep (Quarkus scheduler syntax, e.g. {@code 1h}); the first one runs at start. */
        @WithDefault("1h")
        String every();

        /**
         * Minimum age of what is removed: a live put's temporary object lives for seconds, so this only has to
         * exceed the longest upload (hours of margin; a bucket lifecycle rule in k8s/ expires after a day anyway).
         */
        @WithDefault("6h")
        Duration olderThan();
    }

    default Kind effectiveKind() {
        return kind().orElse(endpoint().isPresent() ? Kind.S3 : Kind.FILESYSTEM);
    }
}
