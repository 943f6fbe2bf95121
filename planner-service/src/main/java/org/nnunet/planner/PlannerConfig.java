package org.nnunet.planner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code nnunet.planner.*}: how raw uploads become dataset versions and plans. */
@ConfigMapping(prefix = "nnunet.planner")
public interface PlannerConfig {

    /**
     * Key prefix of raw tasks in the bucket: objects {@code PREFIX TaskXXX_NAME/...}; must match the prefix MinIO's
     * notifications are subscribed for (k8s/base/minio.yaml: {@code raw/}).
     */
    @WithDefault("raw/")
    String rawPrefix();

    /** Quiet time after the last upload of a task before its new dataset version is cut (a burst = one version). */
    @WithDefault("30s")
    Duration debounce();

    /** Plan the 3D configurations (3d_fullres, and 3d_lowres when the planner makes a low-resolution stage). */
    @WithDefault("true")
    boolean plan3d();

    /** Plan the 2D configuration. */
    @WithDefault("true")
    boolean plan2d();

    /** Threads for the integrity check, cropping and the fingerprint. */
    @WithDefault("2")
    int threads();

    /** Largest accepted REST upload (zip), in bytes. */
    @WithDefault("2147483648")
    long maxUploadBytes();

    /**
     * Most bytes an upload may extract to in the pod's temp folder: a disk budget, not a ratio, so a small zip of
     * very compressible data cannot fill the node's disk. Zipped .nii.gz files hardly expand; 8 GiB leaves room
     * for zips of uncompressed .nii files.
     */
    @WithDefault("8589934592")
    long maxExtractedBytes();

    /** Most entries (files and folders) an uploaded zip may hold: a zip of many empty entries is a bomb too. */
    @WithDefault("100000")
    int maxUploadEntries();
}
