package org.nnunet.inference.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the inference service ({@code nnunet.inference.*}). */
@ConfigMapping(prefix = "nnunet.inference")
public interface InferenceConfig {

    /**
     * Tasks whose model readiness is reported ({@code TaskXXX_NAME}); every task with a promoted model in the store
     * is served whether listed or not.
     */
    Optional<List<String>> tasks();

    /** {@code cpu}, {@code gpu}, {@code gpuN} or {@code auto} ({@link org.nnunet.network.NetworkDevice}). */
    @WithDefault("cpu")
    String device();

    /** Where downloaded model packages and request scratch files live. */
    @WithDefault("${java.io.tmpdir}/nnunet-inference")
    Path workDir();

    /** Largest accepted request body (all files together), checked on the declared Content-Length first. */
    @WithDefault("64")
    int maxUploadMb();

    /** Largest accepted image, in voxels per modality. */
    @WithDefault("64000000")
    long maxVoxels();

    /** Largest batch job, in cases. */
    @WithDefault("1000")
    int maxJobCases();

    /** Returning libtorch's freed memory to the OS once the service is idle ({@link IdleMemoryTrimmer}). */
    MemoryTrim memoryTrim();

    interface MemoryTrim {

        @WithDefault("true")
        boolean enabled();

        /** How long no prediction may have run before the trim: bursts keep their memory, idle replicas shrink. */
        @WithDefault("10s")
        Duration idle();
    }

    default List<String> readinessTasks() {
        return tasks().orElse(List.of());
    }
}
