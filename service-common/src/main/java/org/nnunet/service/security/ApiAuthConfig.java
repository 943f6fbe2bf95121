package org.nnunet.service.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * REST authentication of every service ({@code nnunet.api.*}). The static token comes from the Kubernetes Secret as
 * the environment variable {@code NNUNET_API_TOKEN}, which Quarkus maps onto {@code nnunet.api.token}.
 */
@ConfigMapping(prefix = "nnunet.api")
public interface ApiAuthConfig {

    /** The bearer token clients must send; without one every protected route answers 401 (fail closed). */
    Optional<String> token();

    /** {@code token} (default) or {@code none} (local development only; logged as a warning at start). */
    @WithDefault("token")
    String authMode();

    /**
     * Paths reachable without a token: exact paths, or prefixes written {@code /prefix/*}. Health and metrics stay
     * open for Kubernetes probes and Prometheus; a service adds its static page assets.
     */
    @WithDefault("/q/health,/q/health/*,/q/metrics")
    List<String> publicPaths();
}
