package org.nnunet.service.security;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Accepts exactly the configured {@code nnunet.api.token}, compared in constant time. */
@ApplicationScoped
public class StaticTokenVerifier implements TokenVerifier {

    private final byte[] expected;

    public StaticTokenVerifier(ApiAuthConfig config) {
        this.expected = config.token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    @Override
    public Optional<String> verify(String token) {
        if (expected == null) {
            return Optional.empty();
        }
        boolean ok = MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of("api-token") : Optional.empty();
    }

    @Override
    public Optional<String> unavailableReason() {
        return expected == null
                ? Optional.of("the server has no API token configured (nnunet.api.token / NNUNET_API_TOKEN)")
                : Optional.empty();
    }
}
