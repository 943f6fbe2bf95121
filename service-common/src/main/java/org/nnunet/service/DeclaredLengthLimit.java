package org.nnunet.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses a request whose declared {@code Content-Length} exceeds the service's upload limit with 413 and a JSON body
 * {@code {status, error, message}} before the body is read (the HTTP layer's own body limit stops bodies sent
 * without a length). A service registers it from an observer of {@link Filters}.
 */
public final class DeclaredLengthLimit {

    /** After authentication ({@code BearerAuthFilter}, 1000): an anonymous client learns nothing about limits. */
    static final int PRIORITY = 900;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 413);
        body.put("error", "Payload Too Large");
        body.put("message", "request body of " + (declared == Long.MAX_VALUE ? "an unreadable Content-Length"
                : declared + " bytes") + " exceeds the limit of " + maxBytes + " bytes (" + setting + ")");
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(json);
    }
}
