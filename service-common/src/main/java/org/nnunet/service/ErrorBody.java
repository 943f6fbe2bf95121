package org.nnunet.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of every error answer of the services, whether a REST resource, an exception mapper or a Vert.x
 * filter (token, upload limit) gives it: JSON {@code {status, error, message}}, {@code error} being the status's
 * reason phrase and {@code message} saying what was wrong with which file or field.
 */
public final class ErrorBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {
    }

    /** The body as a map, for a JAX-RS {@code Response} entity. */
    public static Map<String, Object> of(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", HttpResponseStatus.valueOf(status).reasonPhrase());
        body.put("message", message);
        return body;
    }

    /** Ends the request with the body, from a Vert.x filter; headers the caller set before stay. */
    public static void send(RoutingContext rc, int status, String message) {
        String json;
        try {
            json = JSON.writeValueAsString(of(status, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }
}
