package org.nnunet.service.testing;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.util.concurrent.TimeUnit;

/** The readiness every service reports against the real Kafka broker and S3 server started by .ci/run. */
public final class Readiness {
    private Readiness() {}

    /** Waits up to 60 s for {@code /q/health/ready}, then asserts Kafka (one node) and the bucket are UP. */
    public static void assertReadyWithKafkaAndBucket() throws InterruptedException {
        // the first Kafka connection can take several seconds on a loaded 2-core machine: readiness may be DOWN
        // until then, as it would be for Kubernetes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        given().when().get("/q/health/ready").then().log().ifValidationFails()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'kafka' }.status", is("UP"))
                .body("checks.find { it.name == 'kafka' }.data.nodes", is(1))
                .body("checks.find { it.name == 'object-store' }.status", is("UP"))
                .body("checks.find { it.name == 'object-store' }.data.bucketExists", is(true));
    }
}
