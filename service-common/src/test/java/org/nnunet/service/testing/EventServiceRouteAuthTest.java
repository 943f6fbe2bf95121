package org.nnunet.service.testing;

import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's route check for a service without REST resources of its own (preprocess, trainer, ensemble): a
 * {@code @QuarkusTest} subclass in the service's module runs it against that service.
 */
public abstract class EventServiceRouteAuthTest {

    /** The test profile's {@code nnunet.api.token}. */
    public static final String TOKEN = "test-token-0123456789";

    @Inject
    protected Router router;

    @Test
    @DisplayName("every route (OpenAPI, Vert.x router) answers 401 to a missing, wrong or mangled token and to path"
            + " tricks; only health and metrics are open")
    void everyRouteNeedsTheToken() {
        RouteAuthentication.Report report = RouteAuthentication.withToken(TOKEN).check(router);
        System.out.println(getClass().getSimpleName() + " routes:\n" + report.markdown());
        report.assertOnlyProbesOpen();
    }
}
