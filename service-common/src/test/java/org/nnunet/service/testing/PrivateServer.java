package org.nnunet.service.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the test field that receives the {@link PrivateKafka} or {@link PrivateS3} started by
 * {@link PrivateKafkaResource} / {@link PrivateS3Resource}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface PrivateServer {
}
