package org.nnunet.inference.service;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds {@code nnunet.inference.max-upload-mb} with 413
 * and a JSON message before its body is read (the HTTP layer's own body limit, set to the same value, stops bodies
 * sent without a length).
 */
@ApplicationScoped
public class UploadLimitFilter {

    private final long maxBytes;

    public UploadLimitFilter(InferenceConfig config) {
        this.maxBytes = config.maxUploadMb() * 1024L * 1024L;
    }

    void register(@Observes Filters filters) {
        // after authentication (priority 1000): an anonymous client learns nothing about limits
        filters.register(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > maxBytes) {
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"status\":413,\"error\":\"Payload Too Large\",\"message\":\"request body of "
                                + (declared == Long.MAX_VALUE ? "an unreadable Content-Length" : declared + " bytes")
                                + " exceeds the limit of " + maxBytes + " bytes (nnunet.inference.max-upload-mb)\"}");
                return;
            }
            rc.next();
        }, 900);
    }
}
