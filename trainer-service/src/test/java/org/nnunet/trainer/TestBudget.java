package org.nnunet.trainer;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link TrainerConfig} for tests that build {@link FoldTraining} without Quarkus: {@code epochs} x
 * {@code iterations}, one validation batch, {@code model_latest} after every epoch, one data worker, CPU, seed 12345,
 * no validation softmax.
 */
record TestBudget(int epochs, int iterations, Duration leaseDuration, Duration stopWait, String replica)
        implements TrainerConfig {

    /** Two epochs of one iteration, a one-minute lease. */
    static TestBudget tiny() {
        return new TestBudget(2, 1, Duration.ofMinutes(1), Duration.ofSeconds(1), "test");
    }

    @Override
    public int validationBatches() {
        return 1;
    }

    @Override
    public int saveEvery() {
        return 1;
    }

    @Override
    public int dataWorkers() {
        return 1;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public long seed() {
        return 12345;
    }

    @Override
    public boolean saveSoftmax() {
        return false;
    }

    @Override
    public Duration leasePoll() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Optional<String> replicaId() {
        return Optional.of(replica);
    }
}
