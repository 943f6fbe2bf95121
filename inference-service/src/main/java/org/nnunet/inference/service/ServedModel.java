package org.nnunet.inference.service;

import org.jboss.logging.Logger;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.ModelPredictor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A loaded model with a reference count: the registry holds one reference while the model is current, each request
 * one while it runs. The native memory and the downloaded files are freed when the last reference is released, so a
 * hot swap never closes a model under a running request.
 */
final class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    private final ModelPredictor predictor;
    private final ModelPackage.Manifest manifest;
    private final Path dir;
    private final Instant loadedAt = Instant.now();
    private final AtomicInteger references = new AtomicInteger(1);

    ServedModel(ModelPredictor predictor, ModelPackage.Manifest manifest, Path dir) {
        this.predictor = predictor;
        this.manifest = manifest;
        this.dir = dir;
    }

    ModelPredictor predictor() {
        return predictor;
    }

    ModelPackage.Manifest manifest() {
        return manifest;
    }

    Instant loadedAt() {
        return loadedAt;
    }

    /** Takes a reference unless the model was already released for good. */
    boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one frees the model. Never throws: it runs in every request's cleanup. */
    void release() {
        if (references.decrementAndGet() == 0) {
            predictor.close();
            try {
                deleteTree(dir);
            } catch (UncheckedIOException e) {
                LOG.warnf("model %s %s freed, but its files stay: %s", manifest().task(), manifest().version(),
                        e.getMessage());
            }
        }
    }

    boolean closed() {
        return references.get() == 0;
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
