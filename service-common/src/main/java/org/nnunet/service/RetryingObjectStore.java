package org.nnunet.service;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectNotFoundException;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The {@link ObjectStore} every service injects: each call to the configured store ({@link DirectStore}) is retried
 * with exponential backoff (SmallRye Fault Tolerance) while it fails with an {@link IOException}, so an S3 outage of
 * up to {@code max-duration} stalls the event in progress instead of dead-lettering it. A missing object is an
 * answer, not an outage, and is not retried. The store's writes are all-or-nothing, so repeating one is safe.
 *
 * <p>Defaults below (first retry after 0.5 s, doubling up to 15 s, for up to 2 min); a service tunes them with
 * {@code quarkus.fault-tolerance.global.retry.*} and {@code quarkus.fault-tolerance.global.exponential-backoff.*}
 * (the services use no other fault-tolerance annotation). Retries are counted by SmallRye's
 * {@code ft.retry.retries.total} meter in {@code /q/metrics}.
 *
 * <p>{@link #put(String, InputStream, long)} is attempted once: a stream can be read only once. Callers that want
 * retries pass a file or bytes.
 */
@ApplicationScoped
public class RetryingObjectStore implements ObjectStore {

    private final ObjectStore direct;

    public RetryingObjectStore(@DirectStore ObjectStore direct) {
        this.direct = direct;
    }

    @Override
    public void put(String key, InputStream data, long length) throws IOException {
        direct.put(key, data, length);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void put(String key, Path file) throws IOException {
        direct.put(key, file);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void putBytes(String key, byte[] bytes) throws IOException {
        direct.putBytes(key, bytes);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public InputStream get(String key) throws IOException {
        return direct.get(key);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public byte[] getBytes(String key) throws IOException {
        return direct.getBytes(key);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return direct.stat(key);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public boolean exists(String key) throws IOException {
        return direct.exists(key);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public List<ObjectInfo> list(String prefix) throws IOException {
        return direct.list(prefix);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void delete(String key) throws IOException {
        direct.delete(key);
    }

    @Override
    @Retry(maxRetries = -1, delay = 500, maxDuration = 120, durationUnit = ChronoUnit.SECONDS, jitter = 100,
            retryOn = IOException.class, abortOn = ObjectNotFoundException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 15, maxDelayUnit = ChronoUnit.SECONDS)
    public void copy(String source, String target) throws IOException {
        direct.copy(source, target);
    }

    @Override
    public String location() {
        return direct.location();
    }
}
