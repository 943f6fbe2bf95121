package org.nnunet.service.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of the bearer-token filter that do not need a running server (the routes are tested per service). */
class BearerAuthRulesTest {

    static ApiAuthConfig config(String token, String mode, List<String> publicPaths) {
        return new ApiAuthConfig() {
            public Optional<String> token() {
                return Optional.ofNullable(token);
            }

            public String authMode() {
                return mode;
            }

            public List<String> publicPaths() {
                return publicPaths;
            }
        };
    }

    @Test
    @DisplayName("public paths: exact entries and /prefix/* only; nothing else, not even a longer name")
    void publicPaths() {
        ApiAuthConfig c = config("t", "token", List.of("/q/health", "/q/health/*", "/q/metrics", "/"));
        BearerAuthFilter f = new BearerAuthFilter(c, new StaticTokenVerifier(c));
        assertTrue(f.isPublic("/q/health"));
        assertTrue(f.isPublic("/q/health/ready"));
        assertTrue(f.isPublic("/q/metrics"));
        assertTrue(f.isPublic("/"));
        assertFalse(f.isPublic("/q/healthy"));
        assertFalse(f.isPublic("/q/metrics/x"));
        assertFalse(f.isPublic("/q/openapi"));
        assertFalse(f.isPublic("/v1/tasks"));
        assertFalse(f.isPublic("/index.html"));
    }

    @Test
    @DisplayName("static token: exact match only; no configured token means no token is valid (fail closed)")
    void staticToken() {
        StaticTokenVerifier v = new StaticTokenVerifier(config("s3cret", "token", List.of()));
        assertEquals(Optional.of("api-token"), v.verify("s3cret"));
        assertEquals(Optional.empty(), v.verify("s3cre"));
        assertEquals(Optional.empty(), v.verify("s3cret "));
        assertEquals(Optional.empty(), v.unavailableReason());
        StaticTokenVerifier none = new StaticTokenVerifier(config(" ", "token", List.of()));
        assertEquals(Optional.empty(), none.verify(" "));
        assertTrue(none.unavailableReason().orElseThrow().contains("NNUNET_API_TOKEN"));
        assertThrows(IllegalArgumentException.class, () -> new BearerAuthFilter(config("t", "basic", List.of()),
                new StaticTokenVerifier(config("t", "basic", List.of()))));
    }
}
