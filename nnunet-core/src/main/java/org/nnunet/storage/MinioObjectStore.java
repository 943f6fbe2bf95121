package org.nnunet.storage;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An {@link ObjectStore} in one bucket of MinIO or any S3-compatible server, through the MinIO Java SDK.
 *
 * <p>Why writes go through a temporary key: a single S3 PUT (and a completed multipart upload) is already atomic,
 * readers see the old or the new object, never a partial one. We still upload to
 * {@code .nnunet-tmp/<uuid>} first and publish with a server-side copy (no data goes through the client again)
 * followed by a delete, because (1) the stored size is checked against the stream's length before the object
 * appears under its real name, so a stream shorter or longer than announced never publishes anything, even on a
 * server that accepts the short body; (2) the contract is then the same as {@link FileSystemObjectStore}'s
 * temp-file-and-rename, whatever S3-compatible server and backend sits behind the endpoint; (3) consumers of
 * object-created events (MinIO bucket notifications) see one event for the final key, for complete data only, and
 * can ignore the temporary prefix. The price is one extra copy request, and server-side copy is limited to
 * 5 GiB per object (nnU-Net checkpoints and volumes are far smaller). {@link #list} never shows the temporary
 * prefix; an interrupted process can leave objects (and incomplete multipart uploads) there, which
 * {@link #sweepTemporary} removes once they are old enough.
 */
public final class MinioObjectStore implements ObjectStore, TemporaryLeftovers {

    /** Multipart part size: the S3 minimum, so memory per upload stays small. */
    static final long PART_SIZE = 5L * 1024 * 1024;
    private static final String TEMP_PREFIX = ObjectKeys.TEMP_MARKER + "/";
    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

    private final MinioClient client;
    /** Only for listing and aborting multipart uploads, which SDK 9's {@link MinioClient} does not expose. */
    private final MinioAsyncClient uploads;
    private final String bucket;
    private final String location;

    /** Both clients must point at the same server with the same credentials. */
    public MinioObjectStore(MinioClient client, MinioAsyncClient uploads, String bucket, String endpoint) {
        this.client = client;
        this.uploads = uploads;
        this.bucket = bucket;
        this.location = "s3://" + bucket + " at " + endpoint;
    }

    /** Connects with path-style requests and static credentials (what MinIO and S3Proxy expect). */
    public static MinioObjectStore connect(String endpoint, String accessKey, String secretKey, String bucket) {
        MinioClient client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
        MinioAsyncClient uploads = MinioAsyncClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .build();
        return new MinioObjectStore(client, uploads, bucket, endpoint);
    }

    public MinioClient client() {
        return client;
    }

    public String bucket() {
        return bucket;
    }

    public boolean bucketExists() throws IOException {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (MinioException e) {
            throw failure("check bucket", bucket, e);
        }
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() throws IOException {
        if (!bucketExists()) {
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            } catch (MinioException e) {
                throw failure("create bucket", bucket, e);
            }
        }
    }

    @Override
    public void put(String key, InputStream data, long length) throws IOException {
        ObjectKeys.requireValidKey(key);
        String tmp = newTempKey();
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(tmp)
                    .stream(data, length == UNKNOWN_LENGTH ? null : length, PART_SIZE).build());
            publish(tmp, key, length);
        } catch (MinioException e) {
            removeQuietly(tmp, e);
            throw failure("put", key, e);
        } catch (IOException | RuntimeException e) {
            removeQuietly(tmp, e);
            throw e;
        }
    }

    @Override
    public void put(String key, Path file) throws IOException {
        ObjectKeys.requireValidKey(key);
        long size = Files.size(file);
        String tmp = newTempKey();
        try {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(tmp)
                    .filename(file.toString(), PART_SIZE).build());
            publish(tmp, key, size);
        } catch (MinioException e) {
            removeQuietly(tmp, e);
            throw failure("upload " + file + " to", key, e);
        } catch (IOException | RuntimeException e) {
            removeQuietly(tmp, e);
            throw e;
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        ObjectKeys.requireValidKey(key);
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            if (isNotFound(e)) {
                throw new ObjectNotFoundException(location, key);
            }
            throw failure("get", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        ObjectKeys.requireValidKey(key);
        try {
            StatObjectResponse s = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectInfo(key, s.size(), s.lastModified().toInstant()));
        } catch (MinioException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        List<ObjectInfo> result = new ArrayList<>();
        Iterable<Result<Item>> items = client.listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build());
        try {
            for (Result<Item> r : items) {
                Item item = r.get();
                if (item.isDir() || ObjectKeys.isTemporary(item.objectName())) {
                    continue;
                }
                result.add(new ObjectInfo(item.objectName(), item.size(), item.lastModified().toInstant()));
            }
        } catch (MinioException e) {
            throw failure("list prefix", prefix, e);
        }
        return result;
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectKeys.requireValidKey(key);
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            if (!isNotFound(e)) {
                throw failure("delete", key, e);
            }
        }
    }

    @Override
    public void copy(String source, String target) throws IOException {
        ObjectKeys.requireValidKey(source);
        ObjectKeys.requireValidKey(target);
        try {
            serverSideCopy(source, target);
        } catch (MinioException e) {
            if (isNotFound(e)) {
                throw new ObjectNotFoundException(location, source);
            }
            throw failure("copy '" + source + "' to", target, e);
        }
    }

    @Override
    public String location() {
        return location;
    }

    /**
     * Deletes the objects under {@code .nnunet-tmp/} last modified more than {@code olderThan} ago (by the server's
     * clock) and aborts the multipart uploads to that prefix initiated before then: what a put cut by a killed
     * client or by the server's death leaves behind.
     */
    @Override
    public SweptLeftovers sweepTemporary(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int objects = 0;
        long bytes = 0;
        try {
            for (Result<Item> r : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(TEMP_PREFIX).recursive(true).build())) {
                Item item = r.get();
                if (item.isDir() || item.lastModified().toInstant().isAfter(cutoff)) {
                    continue;
                }
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(item.objectName()).build());
                objects++;
                bytes += item.size();
            }
        } catch (MinioException e) {
            throw failure("sweep temporary objects under", TEMP_PREFIX, e);
        }
        return new SweptLeftovers(objects, bytes, abortUploadsInitiatedBefore(cutoff));
    }

    private int abortUploadsInitiatedBefore(Instant cutoff) throws IOException {
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            // no prefix in the request: MinIO answers a prefix only when it is a whole key (minio/minio#20989)
            ListMultipartUploadsArgs.Builder args = ListMultipartUploadsArgs.builder().bucket(bucket);
            if (keyMarker != null) {
                args.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
            }
            ListMultipartUploadsResult page =
                    await(uploads.listMultipartUploads(args.build()), "list multipart uploads for").result();
            for (ListMultipartUploadsResult.Upload upload : page.uploads() == null
                    ? List.<ListMultipartUploadsResult.Upload>of() : page.uploads()) {
                if (!upload.objectName().startsWith(TEMP_PREFIX) || upload.initiated().toInstant().isAfter(cutoff)) {
                    continue;
                }
                try {
                    await(uploads.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket)
                            .object(upload.objectName()).uploadId(upload.uploadId()).build()),
                            "abort multipart upload " + upload.uploadId() + " of");
                    aborted++;
                } catch (IOException e) {
                    // another sweeper (a replica) aborted it first
                    if (!(e.getCause() instanceof ErrorResponseException ere
                            && "NoSuchUpload".equals(ere.errorResponse().code()))) {
                        throw e;
                    }
                }
            }
            if (!page.isTruncated()) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
    }

    private <T> T await(CompletableFuture<T> call, String action) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(action + " '" + TEMP_PREFIX + "' in " + location + " interrupted");
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof MinioException me) {
                    throw failure(action, TEMP_PREFIX, me);
                }
            }
            throw new IOException(action + " '" + TEMP_PREFIX + "' in " + location + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    private void publish(String tmp, String key, long expectedLength) throws MinioException, IOException {
        if (expectedLength != UNKNOWN_LENGTH) {
            long stored = client.statObject(StatObjectArgs.builder().bucket(bucket).object(tmp).build()).size();
            if (stored != expectedLength) {
                throw new IOException("put '" + key + "' in " + location + ": expected " + expectedLength
                        + " bytes but " + stored + " were uploaded");
            }
        }
        serverSideCopy(tmp, key);
        client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(tmp).build());
    }

    private void serverSideCopy(String source, String target) throws MinioException {
        client.copyObject(CopyObjectArgs.builder().bucket(bucket).object(target)
                .source(SourceObject.builder().bucket(bucket).object(source).build()).build());
    }

    private static String newTempKey() {
        return TEMP_PREFIX + UUID.randomUUID();
    }

    private void removeQuietly(String tmp, Exception cause) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(tmp).build());
        } catch (MinioException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean isNotFound(MinioException e) {
        return e instanceof ErrorResponseException ere && NOT_FOUND_CODES.contains(ere.errorResponse().code());
    }

    private IOException failure(String action, String key, MinioException e) {
        String detail = e instanceof ErrorResponseException ere
                ? ere.errorResponse().code() + ": " + ere.errorResponse().message() : e.getMessage();
        return new IOException(action + " '" + key + "' in " + location + " failed: " + detail, e);
    }
}
