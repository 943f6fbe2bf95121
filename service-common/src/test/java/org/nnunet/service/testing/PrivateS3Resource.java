package org.nnunet.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * {@code @WithTestResource(PrivateS3Resource.class)}: the service under test stores into a {@link PrivateS3} of its
 * own (injected into the test's {@link PrivateServer} field), which the test may kill and restart.
 */
public class PrivateS3Resource implements QuarkusTestResourceLifecycleManager {

    private PrivateS3 s3;

    @Override
    public Map<String, String> start() {
        try {
            s3 = PrivateS3.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the private S3Proxy: " + e.getMessage(), e);
        }
        return Map.of("nnunet.store.kind", "s3", "nnunet.store.endpoint", s3.endpoint(),
                "nnunet.store.access-key", PrivateS3.ACCESS_KEY, "nnunet.store.secret-key", PrivateS3.SECRET_KEY,
                "nnunet.store.bucket", PrivateS3.BUCKET);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(s3, new TestInjector.AnnotatedAndMatchesType(PrivateServer.class, PrivateS3.class));
    }

    @Override
    public void stop() {
        try {
            if (s3 != null) {
                s3.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
