package org.nnunet.ensemble;

import io.micrometer.core.instrument.MeterRegistry;
import io.minio.CreateMultipartUploadArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.errors.ErrorResponseException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.service.DirectStore;
import org.nnunet.storage.MinioObjectStore;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectStore;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * service-common's scheduled sweep (TemporaryLeftoverSweeper) in a running service against the real S3 server: what
 * a put cut by a killed process leaves (a temporary object, an incomplete multipart upload under .nnunet-tmp/)
 * disappears once older than {@code older-than}; real objects stay. Periods shortened to seconds by the profile.
 */
@QuarkusTest
@TestProfile(TemporaryLeftoverSweepTest.FastSweep.class)
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class TemporaryLeftoverSweepTest {

    public static class FastSweep implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nnunet.store.temp-sweep.every", "1s", "nnunet.store.temp-sweep.older-than", "3s");
        }
    }

    @Inject
    @DirectStore
    ObjectStore direct;

    @Inject
    MeterRegistry meters;

    @Test
    void scheduledSweepRemovesOldLeftoversOnly() throws Exception {
        MinioObjectStore s3 = (MinioObjectStore) direct;
        String kept = "tmpsweep-test/" + UUID.randomUUID() + ".bin";
        s3.putBytes(kept, new byte[7]);
        String leftover = ObjectKeys.TEMP_MARKER + "/" + UUID.randomUUID();
        long planted = System.nanoTime();
        s3.client().putObject(PutObjectArgs.builder().bucket(s3.bucket()).object(leftover)
                .stream(new ByteArrayInputStream(new byte[4096]), 4096L, null).build());
        MinioAsyncClient async = MinioAsyncClient.builder().endpoint(System.getProperty("nnunet.s3.endpoint"))
                .credentials(System.getProperty("nnunet.s3.access-key"), System.getProperty("nnunet.s3.secret-key"))
                .build();
        String cut = ObjectKeys.TEMP_MARKER + "/" + UUID.randomUUID();
        String uploadId = async.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(s3.bucket())
                .object(cut).build()).get().result().uploadId();
        async.uploadPart(UploadPartArgs.builder().bucket(s3.bucket()).object(cut).uploadId(uploadId).partNumber(1)
                .data(new byte[100], 100).build()).get();

        while (exists(s3, leftover) || pendingUploads(async, s3.bucket(), cut)) {
            if (System.nanoTime() - planted > 20_000_000_000L) {
                fail("leftovers still there 20 s after planting (older-than 3 s, every 1 s)");
            }
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - planted) / 1e9;
        assertTrue(seconds >= 2.0, "removed after " + seconds + " s, before they were 3 s old (S3 times are to"
                + " the second)");
        assertTrue(s3.exists(kept), "a real object survives the sweep");
        // the sweeper counts after its sweep returns, which can be just after the abort we observed
        long countedBy = System.nanoTime() + 5_000_000_000L;
        while ((counted("nnunet.store.temp-sweep.objects") < 1
                || counted("nnunet.store.temp-sweep.multipart-uploads") < 1) && System.nanoTime() < countedBy) {
            Thread.sleep(100);
        }
        // at least: the bucket is shared with the other tests of this service, whose leftovers would go too
        assertTrue(counted("nnunet.store.temp-sweep.objects") >= 1, "temporary objects counted");
        assertTrue(counted("nnunet.store.temp-sweep.multipart-uploads") >= 1, "aborted uploads counted");
        assertEquals(0.0, meters.get("nnunet.store.temp-sweep.runs").tag("outcome", "failed").counter().count());
        s3.delete(kept);
    }

    private double counted(String counter) {
        return meters.get(counter).counter().count();
    }

    private static boolean exists(MinioObjectStore s3, String key) throws Exception {
        try {
            s3.client().statObject(StatObjectArgs.builder().bucket(s3.bucket()).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    private static boolean pendingUploads(MinioAsyncClient async, String bucket, String key) throws Exception {
        var uploads = async.listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(bucket).prefix(key)
                .build()).get().result().uploads();
        return uploads != null && !uploads.isEmpty();
    }
}
