package org.nnunet.service;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds the service's upload limit with 413 and an
 * {@link ErrorBody} before the body is read (the HTTP layer's own body limit stops bodies sent
 * without a length). A service registers it from an observer of {@link Filters}.
 */
public final class DeclaredLengthLimit {

    /** After authentication ({@code BearerAuthFilter}, 1000): an anonymous client learns nothing about limits. */
    static final int PRIORITY = 900;

    private DeclaredLengthLimit() {
    }

    /**
     * @param maxBytes the largest accepted body
     * @param setting the configuration property holding the limit, named in the message
     */
    public static void register(Filters filters, long maxBytes, String setting) {
        filters.register(rc -> handle(rc, maxBytes, setting), PRIORITY);
    }

    static void handle(RoutingContext rc, long maxBytes, String setting) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = Long.MAX_VALUE;
        }
        if (declared <= maxBytes) {
            rc.next();
            return;
        }
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        ErrorBody.send(rc, 413, "request body of " + (declared == Long.MAX_VALUE ? "an unreadable Content-Length"
                : declared + " bytes") + " exceeds the limit of " + maxBytes + " bytes (" + setting + ")");
    }
}
