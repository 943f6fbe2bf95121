package org.nnunet.planner;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.nnunet.service.DeclaredLengthLimit;

/**
 * A declared {@code Content-Length} above {@code nnunet.planner.max-upload-bytes} gets 413 before the body is read
 * ({@link DeclaredLengthLimit}); {@link DatasetUpload} counts the bytes of bodies sent without a length.
 */
@ApplicationScoped
public class UploadLimitFilter {

    void register(@Observes Filters filters, PlannerConfig config) {
        DeclaredLengthLimit.register(filters, config.maxUploadBytes(), "nnunet.planner.max-upload-bytes");
    }
}
