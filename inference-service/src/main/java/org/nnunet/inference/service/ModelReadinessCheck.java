package org.nnunet.inference.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * "models": one entry per configured and served task, {@code loaded vN}, {@code no model promoted yet} or
 * {@code failed: ...}. DOWN only when a promoted model could not be loaded and none is served for that task: a task
 * with no promoted model yet is UP (the service can start before the first training ends) and its predictions
 * answer 404.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    private final ModelRegistry registry;

    public ModelReadinessCheck(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("models");
        boolean up = true;
        for (ModelRegistry.TaskState s : registry.states().values()) {
            switch (s.state()) {
                case "loaded" -> r.withData(s.task(), "loaded " + s.version());
                case "no-model" -> r.withData(s.task(), s.detail());
                default -> {
                    up = false;
                    r.withData(s.task(), "failed: " + s.detail());
                }
            }
        }
        return r.status(up).build();
    }
}
