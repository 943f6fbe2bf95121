package org.nnunet.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code nnunet.trainer.*}: the training budget and device of this replica, and its fold lease. */
@ConfigMapping(prefix = "nnunet.trainer")
public interface TrainerConfig {

    /** nnU-Net: 1000. */
    @WithDefault("1000")
    int epochs();

    /** Training iterations per epoch (nnU-Net: 250). */
    @WithDefault("250")
    int iterations();

    /** Validation batches per epoch (nnU-Net: 50). */
    @WithDefault("50")
    int validationBatches();

    /** Epochs between {@code model_latest} checkpoints, each uploaded to the store (nnU-Net: 50). */
    @WithDefault("50")
    int saveEvery();

    /** Background data-augmentation threads. */
    @WithDefault("2")
    int dataWorkers();

    /** {@code cpu}, {@code gpu} or {@code gpu:N}. */
    @WithDefault("cpu")
    String device();

    @WithDefault("12345")
    long seed();

    /**
     * Keep the validation softmax next to the validation predictions (v1 {@code nnUNet_train --npz}): the ensemble
     * service needs it to score ensembles of configurations.
     */
    @WithDefault("true")
    boolean saveSoftmax();

    /** How long a fold lease lasts without renewal (renewed after every epoch). */
    @WithDefault("30m")
    Duration leaseDuration();

    /** How often a replica that finds a fold leased by another live replica looks again. */
    @WithDefault("30s")
    Duration leasePoll();

    /** How long shutdown waits for the running epoch to end and model_latest to upload (below the pod's grace period). */
    @WithDefault("270s")
    Duration stopWait();

    /** Lease owner name; default: host name + a random suffix. */
    Optional<String> replicaId();
}
