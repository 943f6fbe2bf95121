package org.nnunet.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds the service's single {@link ObjectStore} from {@link ObjectStoreConfig}. */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @Singleton
    ObjectStore objectStore(ObjectStoreConfig config) {
        try {
            return switch (config.kind()) {
                case FILESYSTEM -> new FileSystemObjectStore(config.root());
                case S3 -> {
                    ObjectStoreConfig.S3 s3 = config.s3();
                    MinioObjectStore store = MinioObjectStore.connect(
                            s3.endpoint().orElseThrow(() -> missing("endpoint")),
                            s3.accessKey().orElseThrow(() -> missing("access-key")),
                            s3.secretKey().orElseThrow(() -> missing("secret-key")),
                            s3.bucket());
                    if (s3.createBucket()) {
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
        return new IllegalStateException("nnunet.store.kind=s3 needs nnunet.store.s3." + key);
    }
}
