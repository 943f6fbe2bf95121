package org.nnunet.inference.service;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.nnunet.service.ErrorBody;

import java.io.IOException;

/** Every error leaves as an {@link ErrorBody}, the same shape the auth filter's 401 has. */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    public static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(status, message))
                .build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, e.getMessage() == null ? "HTTP " + status : e.getMessage());
    }

    /** Storage or model I/O failed: the client's request may succeed later. */
    @ServerExceptionMapper
    public Response io(IOException e) {
        LOG.error("request failed", e);
        return json(503, "I/O failure, try again later: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return json(500, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
