package org.nnunet.preprocess;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.testing.Readiness;

/** Readiness against the real Kafka broker and S3 server started by .ci/run (skipped without them). */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PreprocessReadinessTest {

    @Test
    void readyWhenKafkaAnswersAndBucketExists() throws InterruptedException {
        Readiness.assertReadyWithKafkaAndBucket();
    }
}
