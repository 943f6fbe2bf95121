package org.nnunet.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code fold_N/LEASE} object: owner and expiry of the replica training a fold. Kafka already gives a fold's
 * events to one consumer of the group (they share a key, hence a partition); the lease covers the gap a rebalance
 * opens, when a redelivered request can reach a second replica while the first still trains. Each put replaces the
 * object atomically; as the store has no compare-and-set, {@link #tryAcquire} re-reads its write after a short pause
 * and gives up if another owner overwrote it.
 */
final class FoldLease {

    record Holder(String owner, String expiresAt) {
        boolean liveAt(Instant now) {
            return Instant.parse(expiresAt).isAfter(now);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String key;
    private final String owner;
    private final Duration duration;

    FoldLease(ObjectStore store, String key, String owner, Duration duration) {
        this.store = store;
        this.key = key;
        this.owner = owner;
        this.duration = duration;
    }

    Optional<Holder> holder() throws IOException {
        if (!store.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(store.getBytes(key), Holder.class));
    }

    /** Takes the lease if it is free, expired or already ours; false when another live replica holds it. */
    boolean tryAcquire() throws IOException, InterruptedException {
        Optional<Holder> current = holder();
        if (current.isPresent() && !current.get().owner().equals(owner) && current.get().liveAt(Instant.now())) {
            return false;
        }
        renew();
        Thread.sleep(200);
        return holder().map(h -> h.owner().equals(owner)).orElse(false);
    }

    void renew() throws IOException {
        store.putBytes(key, JSON.writeValueAsBytes(new Holder(owner, Instant.now().plus(duration).toString())));
    }

    void release() throws IOException {
        if (holder().map(h -> h.owner().equals(owner)).orElse(false)) {
            store.delete(key);
        }
    }
}
