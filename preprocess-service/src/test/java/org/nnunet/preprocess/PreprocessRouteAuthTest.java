package org.nnunet.preprocess;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.testing.EventServiceRouteAuthTest;
import org.nnunet.service.testing.RouteAuthentication;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 9: every route of preprocess-service needs the token except health and metrics (skipped without servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PreprocessRouteAuthTest extends EventServiceRouteAuthTest {

    @Test
    @DisplayName("a route added to the Vert.x router after start (as an extension would) is listed and needs the"
            + " token")
    void routeAddedLaterIsListedAndProtected() {
        Route added = router.get("/added-later/:name").handler(rc -> rc.end("open"));
        try {
            RouteAuthentication.Report report = RouteAuthentication.withToken(TOKEN)
                    .sample("name", "x").check(router);
            assertTrue(report.rows().stream().anyMatch(r -> r.route().equals("/added-later/:name")
                    && r.path().equals("/added-later/x") && r.method().equals("GET") && !r.open()
                    && r.withoutToken() == 401 && r.wrongToken() == 401), report.markdown());
            given().header("Authorization", "Bearer " + TOKEN).get("/added-later/x").then()
                    .statusCode(200).body(is("open"));
        } finally {
            added.remove();
        }
    }
}
