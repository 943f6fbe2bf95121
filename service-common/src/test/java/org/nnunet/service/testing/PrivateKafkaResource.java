package org.nnunet.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * {@code @WithTestResource(PrivateKafkaResource.class)}: the service under test talks to a {@link PrivateKafka} of its
 * own (injected into the test's {@link PrivateServer} field), which the test may stop and restart.
 */
public class PrivateKafkaResource implements QuarkusTestResourceLifecycleManager {

    private PrivateKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            kafka = PrivateKafka.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the private Kafka broker: " + e.getMessage(), e);
        }
        // connector level: the CI command line sets -Dkafka.bootstrap.servers, a system property that outranks the
        // test resource's kafka.bootstrap.servers, but every channel reads the connector's setting first
        return Map.of("mp.messaging.connector.smallrye-kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(kafka, new TestInjector.AnnotatedAndMatchesType(PrivateServer.class,
                PrivateKafka.class));
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
