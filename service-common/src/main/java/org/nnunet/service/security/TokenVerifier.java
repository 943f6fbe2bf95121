package org.nnunet.service.security;

import java.util.Optional;

/**
 * Decides whether a bearer token is acceptable. The default bean compares with the static token
 * ({@link StaticTokenVerifier}); an OIDC deployment replaces it with an {@code @Alternative @Priority} bean that
 * validates a JWT against the identity provider (e.g. with quarkus-oidc or smallrye-jwt) and returns the subject.
 */
public interface TokenVerifier {

    /** The caller's name if {@code token} is valid, else empty; {@code token} is never null. */
    Optional<String> verify(String token);

    /** Why no token can be valid right now (e.g. none configured), or empty when verification is possible. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }
}
