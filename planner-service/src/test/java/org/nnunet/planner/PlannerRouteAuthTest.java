package org.nnunet.planner;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.testing.RouteAuthentication;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 9: every route of planner-service needs the token except health and metrics (skipped without servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PlannerRouteAuthTest {

    static final String TOKEN = "test-token-0123456789";

    @Inject
    Router router;

    @Test
    @DisplayName("every route (OpenAPI upload operation, Vert.x router) answers 401 to a missing, wrong or mangled"
            + " token and to path tricks; only health and metrics are open")
    void everyRouteNeedsTheToken() {
        RouteAuthentication.Report report = RouteAuthentication.withToken(TOKEN).sample("task", "Task901_Tiny")
                .check(router);
        System.out.println("planner-service routes:\n" + report.markdown());
        assertTrue(report.rows().stream().anyMatch(r -> !r.open() && r.method().equals("POST")
                && r.route().equals("/v1/datasets/{task}") && r.source().contains("openapi")), report.markdown());
        assertTrue(report.rows().stream().allMatch(r -> !r.open() || r.path().startsWith("/q/health")
                || r.path().equals("/q/metrics")), report.markdown());
    }

    @Test
    @DisplayName("a CORS preflight (OPTIONS + Origin + Access-Control-Request-Method) passes the filter without a"
            + " token, as browsers send it; a plain OPTIONS does not")
    void corsPreflightPassesPlainOptionsDoesNot() {
        // no CORS filter configured: the REST layer answers with the allowed methods and runs no resource method
        given().header("Origin", "https://viewer.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/datasets/Task901_Tiny").then().statusCode(200).header("Allow", containsString("POST"));
        given().options("/v1/datasets/Task901_Tiny").then().statusCode(401);
        given().header("Origin", "https://viewer.example").options("/v1/datasets/Task901_Tiny").then().statusCode(401);
    }

    @Test
    @DisplayName("an upload with a zip body but no or a wrong token is refused (401) by the filter in front of the"
            + " upload handler")
    void uploadWithBodyNeedsTheToken() {
        byte[] body = new byte[64 * 1024];
        given().contentType("application/zip").body(body).when().post("/v1/datasets/Task901_Tiny").then()
                .statusCode(401).body("message", containsString("token"));
        given().header("Authorization", "Bearer wrong").contentType("application/zip").body(body).when()
                .post("/v1/datasets/Task901_Tiny").then().statusCode(401).body("message", containsString("token"));
    }
}
