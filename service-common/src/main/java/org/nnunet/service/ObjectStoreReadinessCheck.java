package org.nnunet.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ready only when the object store really answers: the bucket exists on the S3 server, or the root folder accepts a
 * new file (probe named like an in-flight write, so listings never show it); any other store must answer a stat.
 * It asks the {@link DirectStore}: an outage must show at once, not after the retries of {@link RetryingObjectStore}.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {

    private final ObjectStore store;

    public ObjectStoreReadinessCheck(@DirectStore ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-store")
                .withData("location", store.location());
        try {
            if (store instanceof MinioObjectStore s3) {
                boolean exists = s3.bucketExists();
                return response.status(exists).withData("bucketExists", exists).build();
            }
            if (store instanceof FileSystemObjectStore fs) {
                Path probe = Files.createTempFile(fs.root(), ObjectKeys.TEMP_MARKER + "-ready-", ".probe");
                Files.delete(probe);
                return response.up().build();
            }
            store.exists("readiness-probe");
            return response.up().build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
