package org.nnunet.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.UploadPartArgs;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the contract against a real S3 server: the S3Proxy that {@code .ci/run} starts, found through the system
 * properties {@code nnunet.s3.endpoint}, {@code nnunet.s3.access-key}, {@code nnunet.s3.secret-key} (or the
 * environment variables {@code NNUNET_S3_ENDPOINT}, ...). Skipped only when no endpoint is given.
 */
class MinioObjectStoreTest extends ObjectStoreContractTest {

    /** One bucket for the class (creating buckets is slow on S3Proxy); emptied after every test. */
    private static MinioObjectStore store;

    static String setting(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? null : value;
    }

    @BeforeAll
    static void createBucket() throws IOException {
        String endpoint = setting("nnunet.s3.endpoint");
        assumeTrue(endpoint != null, "no S3 server: set -Dnnunet.s3.endpoint (bash .ci/run does)");
        store = MinioObjectStore.connect(endpoint, setting("nnunet.s3.access-key"), setting("nnunet.s3.secret-key"),
                "contract-" + UUID.randomUUID().toString().substring(0, 8));
        store.ensureBucket();
    }

    @AfterEach
    void emptyBucket() throws Exception {
        for (String key : rawKeys()) {
            store.client().removeObject(RemoveObjectArgs.builder().bucket(store.bucket()).object(key).build());
        }
    }

    @AfterAll
    static void dropBucket() throws Exception {
        if (store != null) {
            store.client().removeBucket(RemoveBucketArgs.builder().bucket(store.bucket()).build());
        }
    }

    @Override
    ObjectStore store() {
        return store;
    }

    /** Every key in the bucket, including the temporary prefix that {@link ObjectStore#list} hides. */
    private static List<String> rawKeys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> r : store.client().listObjects(
                ListObjectsArgs.builder().bucket(store.bucket()).recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        return keys;
    }

    @Test
    @DisplayName("failed and successful puts leave nothing under the temporary prefix")
    void noTemporaryObjectsLeft() throws Exception {
        store.putBytes("a/b.bin", new byte[10]);
        store.put("a/c.bin", trickle(randomBytes(6 * MIB, 9)), ObjectStore.UNKNOWN_LENGTH);
        assertThrows(IOException.class, () -> store.put("a/d.bin", failingAfter(6 * MIB), 12L * MIB));
        assertEquals(List.of("a/b.bin", "a/c.bin"), rawKeys());
    }

    @Test
    @DisplayName("a wrong secret key is refused with a message naming the bucket")
    void wrongCredentialsRefused() {
        MinioObjectStore wrong = MinioObjectStore.connect(setting("nnunet.s3.endpoint"),
                setting("nnunet.s3.access-key"), "not-the-secret", store.bucket());
        IOException e = assertThrows(IOException.class, () -> wrong.getBytes("a/b.bin"));
        assertTrue(e.getMessage().contains(store.bucket()), e.getMessage());
    }

    @Test
    @DisplayName("sweepTemporary deletes old .nnunet-tmp/ objects and aborts old multipart uploads there, nothing else")
    void sweepRemovesOldLeftovers() throws Exception {
        store.putBytes("a/b.bin", new byte[10]);
        // what a put cut by a killed client leaves: its temporary object, and a multipart upload never completed
        String leftover = ObjectKeys.TEMP_MARKER + "/" + UUID.randomUUID();
        store.client().putObject(PutObjectArgs.builder().bucket(store.bucket()).object(leftover)
                .stream(new ByteArrayInputStream(new byte[1234]), 1234L, null).build());
        MinioAsyncClient async = MinioAsyncClient.builder().endpoint(setting("nnunet.s3.endpoint"))
                .credentials(setting("nnunet.s3.access-key"), setting("nnunet.s3.secret-key")).build();
        String cutUpload = ObjectKeys.TEMP_MARKER + "/" + UUID.randomUUID();
        String uploadId = async.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(store.bucket())
                .object(cutUpload).build()).get().result().uploadId();
        async.uploadPart(UploadPartArgs.builder().bucket(store.bucket()).object(cutUpload).uploadId(uploadId)
                .partNumber(1).data(new byte[1000], 1000).build()).get();
        // an upload outside the temporary prefix (another client's, in progress) is none of the sweep's business
        String foreignUpload = "a/uploading.bin";
        String foreignId = async.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(store.bucket())
                .object(foreignUpload).build()).get().result().uploadId();
        assertEquals(List.of(cutUpload, foreignUpload), pendingUploads(async));

        assertEquals(SweptLeftovers.NONE, store.sweepTemporary(Duration.ofDays(1)), "all leftovers are young");
        assertEquals(List.of(leftover, "a/b.bin"), rawKeys().stream().sorted().toList());
        assertEquals(List.of(cutUpload, foreignUpload), pendingUploads(async));

        assertEquals(new SweptLeftovers(1, 1234, 1), store.sweepTemporary(Duration.ZERO));
        assertEquals(List.of("a/b.bin"), rawKeys());
        assertEquals(List.of(foreignUpload), pendingUploads(async));
        assertEquals(10, store.getBytes("a/b.bin").length);
        async.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(store.bucket()).object(foreignUpload)
                .uploadId(foreignId).build()).get();
    }

    private static List<String> pendingUploads(MinioAsyncClient async) throws Exception {
        ListMultipartUploadsResult result = async.listMultipartUploads(
                ListMultipartUploadsArgs.builder().bucket(store.bucket()).build()).get().result();
        return result.uploads() == null ? List.of()
                : result.uploads().stream().map(ListMultipartUploadsResult.Upload::objectName).sorted().toList();
    }
}
