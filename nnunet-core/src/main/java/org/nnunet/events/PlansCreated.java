package org.nnunet.events;

import java.util.List;

/**
 * The experiment planner wrote the plans (nnU-Net v1: {@code nnUNetPlansv2.1_plans_2D/3D}).
 *
 * @param plansKeys      object-store keys of the written plans files
 * @param configurations the configurations the plans allow, e.g. {@code ["2d", "3d_fullres"]}
 */
public record PlansCreated(int schemaVersion, String task, String datasetVersion, String correlationId,
                           List<String> plansKeys, List<String> configurations) implements PipelineEvent {

    public PlansCreated {
        EventFields.requireHeader(schemaVersion, task, datasetVersion, correlationId, "PlansCreated");
        if (plansKeys == null || plansKeys.isEmpty()) {
            throw new IllegalArgumentException("PlansCreated.plansKeys must list at least one plans file");
        }
        if (configurations == null || configurations.isEmpty()) {
            throw new IllegalArgumentException("PlansCreated.configurations must name at least one configuration");
        }
        plansKeys = List.copyOf(plansKeys);
        configurations = List.copyOf(configurations);
    }

    public PlansCreated(String task, String datasetVersion, String correlationId, List<String> plansKeys,
                        List<String> configurations) {
        this(SCHEMA_VERSION, task, datasetVersion, correlationId, plansKeys, configurations);
    }
}
