package org.nnunet.service;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The object store as configured, without {@link RetryingObjectStore}'s retries: for callers that must see a
 * failure at once (the readiness check). Everything else injects the plain {@code ObjectStore}, which retries.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface DirectStore {
}
