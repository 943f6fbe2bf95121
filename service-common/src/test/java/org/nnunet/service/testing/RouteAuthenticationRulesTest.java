package org.nnunet.service.testing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the route check that need no running service: templates, the declared public list, path tricks. */
class RouteAuthenticationRulesTest {

    @Test
    @DisplayName("path templates: OpenAPI {name} and Vert.x :name take the sample value, a trailing * a name")
    void templates() {
        RouteAuthentication check = RouteAuthentication.withToken("t").sample("task", "Task004_Hippocampus");
        assertEquals("/v1/tasks/Task004_Hippocampus/jobs", check.fill("/v1/tasks/{task}/jobs"));
        assertEquals("/v1/jobs/sample", check.fill("/v1/jobs/{id}"));
        assertEquals("/x/Task004_Hippocampus/sample", check.fill("/x/:task/:other"));
        assertEquals("/q/health/group/sample", check.fill("/q/health/group/*"));
    }

    @Test
    @DisplayName("declared public: the probes and metrics by default, exact paths or /prefix/* only")
    void declaredPublic() {
        RouteAuthentication check = RouteAuthentication.withToken("t").publicPaths("/", "/viewer.js");
        assertTrue(check.isDeclaredPublic("/q/health"));
        assertTrue(check.isDeclaredPublic("/q/health/ready"));
        assertTrue(check.isDeclaredPublic("/q/metrics"));
        assertTrue(check.isDeclaredPublic("/viewer.js"));
        assertFalse(check.isDeclaredPublic("/q/healthy"));
        assertFalse(check.isDeclaredPublic("/q/metrics/x"));
        assertFalse(check.isDeclaredPublic("/q/openapi"));
        assertFalse(check.isDeclaredPublic("/index.html"));
    }

    @Test
    @DisplayName("path tricks: dot segments (plain, %2e, ..;), encoded slashes and doubled slashes through each"
            + " public prefix")
    void tricks() {
        List<String> tricks = RouteAuthentication.withToken("t").publicPaths("/viewer.js").tricks("/v1/tasks");
        for (String t : List.of("//v1/tasks", "//v1//tasks", "/./v1/tasks", "/q/health/../../v1/tasks",
                "/q/health/%2e%2e/%2e%2e/v1/tasks", "/q/health/%2E%2E/%2E%2E/v1/tasks", "/q/health/..;/..;/v1/tasks",
                "/q/health%2f..%2f..%2fv1%2ftasks", "/q/health/..%2f..%2fv1/tasks", "/q/health;/../../v1/tasks",
                "/q/metrics/../../v1/tasks", "/viewer.js/../v1/tasks")) {
            assertTrue(tricks.contains(t), t + " missing from " + tricks);
        }
    }
}
