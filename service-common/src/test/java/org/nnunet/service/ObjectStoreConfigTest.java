package org.nnunet.service;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.storage.FileSystemObjectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object store settings as a deployment gives them (environment variables), without booting Quarkus. */
class ObjectStoreConfigTest {

    @TempDir
    Path tmp;

    static ObjectStoreConfig fromEnvironment(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "1h" syntax
                .withMapping(ObjectStoreConfig.class)
                .build();
        return config.getConfigMapping(ObjectStoreConfig.class);
    }

    @Test
    @DisplayName("NNUNET_STORE_* variables (as in k8s/base/config.yaml) select an S3 store")
    void environmentSelectsS3() {
        ObjectStoreConfig config = fromEnvironment(Map.of(
                "NNUNET_STORE_ENDPOINT", "http://minio:9000",
                "NNUNET_STORE_BUCKET", "models",
                "NNUNET_STORE_ACCESS_KEY", "ak",
                "NNUNET_STORE_SECRET_KEY", "sk"));
        assertEquals(ObjectStoreConfig.Kind.S3, config.effectiveKind());
        assertEquals("ak", config.accessKey().orElseThrow());
        assertEquals("sk", config.secretKey().orElseThrow());
        MinioObjectStore store = (MinioObjectStore) new ObjectStoreProducer().objectStore(config);
        assertEquals("models", store.bucket());
        assertEquals("s3://models at http://minio:9000", store.location());
    }

    @Test
    @DisplayName("without an endpoint the store is the local folder NNUNET_STORE_ROOT")
    void defaultIsFilesystem() {
        ObjectStoreConfig config = fromEnvironment(Map.of("NNUNET_STORE_ROOT", tmp.resolve("data").toString()));
        assertEquals(ObjectStoreConfig.Kind.FILESYSTEM, config.effectiveKind());
        ObjectStore store = new ObjectStoreProducer().objectStore(config);
        assertEquals(tmp.resolve("data"), ((FileSystemObjectStore) store).root());
        assertEquals("nnunet-data", fromEnvironment(Map.of()).root().toString());
    }

    @Test
    @DisplayName("temporary-leftover sweep: on, every 1h, older than 6h by default; NNUNET_STORE_TEMP_SWEEP_* override")
    void tempSweepSettings() {
        ObjectStoreConfig.TempSweep defaults = fromEnvironment(Map.of()).tempSweep();
        assertTrue(defaults.enabled());
        assertEquals("1h", defaults.every());
        assertEquals(Duration.ofHours(6), defaults.olderThan());

        ObjectStoreConfig.TempSweep set = fromEnvironment(Map.of("NNUNET_STORE_TEMP_SWEEP_ENABLED", "false",
                "NNUNET_STORE_TEMP_SWEEP_EVERY", "15m", "NNUNET_STORE_TEMP_SWEEP_OLDER_THAN", "2h")).tempSweep();
        assertEquals(false, set.enabled());
        assertEquals("15m", set.every());
        assertEquals(Duration.ofHours(2), set.olderThan());
    }

    @Test
    @DisplayName("an explicit S3 kind without credentials fails naming the missing variable")
    void missingCredentials() {
        ObjectStoreConfig config = fromEnvironment(Map.of("NNUNET_STORE_KIND", "s3",
                "NNUNET_STORE_ENDPOINT", "http://minio:9000"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ObjectStoreProducer().objectStore(config));
        assertTrue(e.getMessage().contains("NNUNET_STORE_ACCESS_KEY"), e.getMessage());
    }

    @Test
    @DisplayName("filesystem readiness: UP for a writable root (probe removed), DOWN when the root is not a folder")
    void filesystemReadiness() throws IOException {
        FileSystemObjectStore store = new FileSystemObjectStore(tmp.resolve("root"));
        HealthCheckResponse up = new ObjectStoreReadinessCheck(store).call();
        assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
        try (var files = Files.list(store.root())) {
            assertEquals(0, files.count());
        }

        Files.delete(store.root());
        Files.writeString(store.root(), "not a folder");
        HealthCheckResponse down = new ObjectStoreReadinessCheck(store).call();
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertInstanceOf(String.class, down.getData().orElseThrow().get("error"));
    }
}
