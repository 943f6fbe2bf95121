package org.nnunet.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the service's store from {@link ObjectStoreConfig}, qualified {@link DirectStore}; the unqualified
 * {@code ObjectStore} services inject is {@link RetryingObjectStore} around it.
 */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @Singleton
    @DirectStore
    ObjectStore objectStore(ObjectStoreConfig config) {
        try {
            return switch (config.effectiveKind()) {
                case FILESYSTEM -> new FileSystemObjectStore(config.root());
                case S3 -> {
                    MinioObjectStore store = MinioObjectStore.connect(
                            config.endpoint().orElseThrow(() -> missing("endpoint")),
                            config.accessKey().orElseThrow(() -> missing("access-key")),
                            config.secretKey().orElseThrow(() -> missing("secret-key")),
                            config.bucket());
                    if (config.createBucket()) {
                        store.ensureBucket();
                    }
                    yield store;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the object store: " + e.getMessage(), e);
        }
    }

    private static IllegalStateException missing(String key) {
        return new IllegalStateException("an S3 object store needs nnunet.store." + key + " (environment variable NNUNET_STORE_"
                + key.toUpperCase().replace('-', '_') + ")");
    }
}
