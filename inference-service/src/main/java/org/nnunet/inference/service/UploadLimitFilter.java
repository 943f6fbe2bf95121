package org.nnunet.inference.service;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.nnunet.service.DeclaredLengthLimit;

/**
 * A declared {@code Content-Length} above {@code nnunet.inference.max-upload-mb} gets 413 before the body is read
 * ({@link DeclaredLengthLimit}); the HTTP layer's own body limit, set to the same value, stops bodies sent without a
 * length.
 */
@ApplicationScoped
public class UploadLimitFilter {

    void register(@Observes Filters filters, InferenceConfig config) {
        DeclaredLengthLimit.register(filters, config.maxUploadMb() * 1024L * 1024L, "nnunet.inference.max-upload-mb");
    }
}
