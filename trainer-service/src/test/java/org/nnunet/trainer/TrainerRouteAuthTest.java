package org.nnunet.trainer;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.testing.RouteAuthentication;

/** Issue 9: every route of trainer-service needs the token except health and metrics (skipped without servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class TrainerRouteAuthTest {

    @Inject
    Router router;

    @Test
    @DisplayName("every route (OpenAPI, Vert.x router) answers 401 to a missing, wrong or mangled token and to path"
            + " tricks; only health and metrics are open")
    void everyRouteNeedsTheToken() {
        RouteAuthentication.Report report = RouteAuthentication.withToken("test-token-0123456789").check(router);
        System.out.println("trainer-service routes:\n" + report.markdown());
        report.assertOnlyProbesOpen();
    }
}
