package org.nnunet.service.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.nnunet.service.ErrorBody;

import java.util.List;
import java.util.Optional;

/**
 * Bearer-token authentication in front of every HTTP route of the service (REST resources, OpenAPI, static files,
 * and any route added later), as a Vert.x filter rather than a JAX-RS filter so nothing outside the REST layer slips
 * through. Only {@link ApiAuthConfig#publicPaths()} are open. A request without a valid
 * {@code Authorization: Bearer <token>} gets 401 with a JSON body {@code {status, error, message}} and
 * {@code WWW-Authenticate: Bearer}. Paths are matched after normalization, so {@code /q/health/../../v1/x} is not
 * public.
 */
@ApplicationScoped
public class BearerAuthFilter {

    /** Runs before the REST layer and the static-resource handler. */
    static final int PRIORITY = 1000;
    private static final Logger LOG = Logger.getLogger(BearerAuthFilter.class);

    private final ApiAuthConfig config;
    private final TokenVerifier verifier;
    private final List<String> publicPaths;

    public BearerAuthFilter(ApiAuthConfig config, TokenVerifier verifier) {
        this.config = config;
        this.verifier = verifier;
        this.publicPaths = List.copyOf(config.publicPaths());
        if (!config.authMode().equals("token") && !config.authMode().equals("none")) {
            throw new IllegalArgumentException("nnunet.api.auth-mode must be 'token' or 'none', was '"
                    + config.authMode() + "'");
        }
    }

    void onStart(@Observes StartupEvent start) {
        if (config.authMode().equals("none")) {
            LOG.warn("nnunet.api.auth-mode=none: the REST API is open to anyone who can reach it");
        } else {
            verifier.unavailableReason().ifPresent(reason -> LOG.warn(reason + ": every protected route answers 401"));
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext rc) {
        if (config.authMode().equals("none") || isCorsPreflight(rc) || isPublic(rc.normalizedPath())) {
            rc.next();
            return;
        }
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> reason = verifier.unavailableReason();
        if (reason.isPresent()) {
            reject(rc, reason.get());
        } else if (header == null || header.isBlank()) {
            reject(rc, "missing Authorization header: send 'Authorization: Bearer <token>'");
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            reject(rc, "Authorization header is not a bearer token: send 'Authorization: Bearer <token>'");
        } else if (verifier.verify(header.substring(7).trim()).isEmpty()) {
            reject(rc, "invalid bearer token");
        } else {
            rc.next();
        }
    }

    /**
     * A browser's CORS preflight carries no credentials by design, so it must pass for a CORS filter (when
     * {@code quarkus.http.cors} is on) to answer it; any other OPTIONS request needs the token like every method.
     */
    static boolean isCorsPreflight(RoutingContext rc) {
        return rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader(HttpHeaders.ORIGIN) != null
                && rc.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    /** True for a configured exact path or a path under a configured {@code /prefix/*}. */
    boolean isPublic(String path) {
        for (String p : publicPaths) {
            if (p.endsWith("/*") ? path.startsWith(p.substring(0, p.length() - 1)) : path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static void reject(RoutingContext rc, String message) {
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"nnunet\"");
        ErrorBody.send(rc, 401, message);
    }
}
