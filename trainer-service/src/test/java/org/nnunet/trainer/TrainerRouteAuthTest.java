package org.nnunet.trainer;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.testing.EventServiceRouteAuthTest;

/** Issue 9: every route of trainer-service needs the token except health and metrics (skipped without servers). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class TrainerRouteAuthTest extends EventServiceRouteAuthTest {
}
