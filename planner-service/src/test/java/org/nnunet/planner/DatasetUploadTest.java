package org.nnunet.planner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.Topics;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.service.StoreFolders;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.RawHttp;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyTask;
import org.nnunet.storage.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/datasets/{task}}: zip upload -> raw objects -> dataset version; hostile uploads (issue 9: bad
 * names, sizes, zip bombs, datasets failing the integrity check) refused with nothing stored.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class DatasetUploadTest {

    @Inject
    ObjectStore store;

    private static byte[] zip(Path dir, String folder) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(folder + dir.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("__MACOSX/._dataset.json"));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] zipOf(String entry, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A request with the test profile's API token (org.nnunet.service.security guards every /v1 route). */
    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer test-token-0123456789");
    }

    @Test
    void zippedNnUNetTaskIsStoredAndBecomesADatasetVersion() throws Exception {
        String task = TestTasks.unique("Upload");
        Path dir = Files.createTempDirectory("upload");
        TinyTask.write(dir, 5, 3);
        byte[] body = zip(dir, task + "/");
        StoreFolders.deleteQuietly(dir);

        api().contentType("application/zip").body(body).when().post("/v1/datasets/" + task).then()
                .statusCode(202).body("objects", is(11)).body("rawPrefix", is("raw/" + task + "/"));
        assertEquals(11, store.list("raw/" + task + "/").size(), "dataset.json + 5 images + 5 labels");
        List<ConsumerRecord<String, String>> versions = KafkaTopics.await(Topics.DATASET_VERSION_CREATED,
                r -> task.equals(r.key()), 1, Duration.ofSeconds(30));
        assertEquals(1, versions.size());
        assertTrue(versions.get(0).value().contains("\"trainingCases\":5"), versions.get(0).value());
    }

    @Test
    void zippedDecathlonTaskIsConvertedToTheNnUNetLayout() throws Exception {
        String task = TestTasks.unique("Dec");
        Path dir = Files.createTempDirectory("decathlon");
        TinyTask.write(dir, 5, 4);
        // the Decathlon layout: images without the _0000 modality suffix
        try (Stream<Path> images = Files.list(dir.resolve("imagesTr"))) {
            for (Path image : images.toList()) {
                Files.move(image, image.resolveSibling(image.getFileName().toString().replace("_0000", "")));
            }
        }
        byte[] body = zip(dir, "");
        StoreFolders.deleteQuietly(dir);

        api().contentType("application/zip").body(body).when().post("/v1/datasets/" + task).then()
                .statusCode(202).body("objects", is(11));
        assertTrue(store.exists("raw/" + task + "/imagesTr/tiny_000_0000.nii.gz"), "converted to modality files");
        assertTrue(store.exists("raw/" + task + "/labelsTr/tiny_004.nii.gz"));
    }

    /** One hostile upload: the request body, the expected status and a piece of the expected message. */
    record Hostile(String name, byte[] body, int status, String message) {}

    /** Edits a generated task folder before it is zipped. */
    @FunctionalInterface
    interface Edit {
        void apply(Path taskDir) throws Exception;
    }

    @Test
    @DisplayName("hostile dataset uploads (issue 9 list) each get a 4xx naming the file or problem; nothing stored, no "
            + "dataset version, no temp folder left, service ready; a valid upload right after (holding a nested zip "
            + "bomb, stored unopened) is accepted")
    void hostileUploadsAreRefusedAndLeaveNothingBehind() throws Exception {
        String task = TestTasks.unique("Hostile");
        String m0 = "imagesTr/tiny_000_0000.nii.gz";
        byte[] bomb = bomb(61_000_000);
        List<Hostile> table = List.of(
                new Hostile("0-byte body", new byte[0], 400, "empty (0 bytes)"),
                new Hostile("not a zip", "hello, not a zip".getBytes(StandardCharsets.UTF_8), 400, "not a zip"),
                new Hostile("truncated zip", truncated(tinyTaskZip(dir -> { })), 400, "not a valid zip"),
                new Hostile("no dataset.json", tinyTaskZip(dir -> Files.delete(dir.resolve("dataset.json"))), 400,
                        "no dataset.json"),
                new Hostile("path traversal ../", zipOf("../../etc/passwd", new byte[] {1}), 400, "'..'"),
                new Hostile("absolute path", zipOf("/abs/dataset.json", new byte[] {1}), 400, "absolute"),
                new Hostile("backslash path", zipOf("imagesTr\\..\\..\\x.nii.gz", new byte[] {1}), 400,
                        "backslash"),
                new Hostile("zip bomb: 60 KB expanding past max-extracted-bytes", bomb, 413, "zip bomb"),
                new Hostile("zip bomb: entry declaring 4 GB", declaredSize(0xFFFF_FFF0L), 413,
                        "declares 4294967280 bytes"),
                new Hostile("zip bomb: 2001 entries", manyEntries(2001), 413, "more than 2000 entries"),
                new Hostile("3.5 MB body (limit 3 MB)", zipOf(m0, noise(3_500_000)), 413,
                        "exceeds the limit of 3000000 bytes"),
                new Hostile("2D image", tinyTaskZip(dir -> Files.write(dir.resolve(m0),
                        withDims(volume(new int[] {1, 24, 28}, MM), 2, 28, 24, 1, 1))), 422,
                        m0 + " has 2 dimensions"),
                new Hostile("4D image (2 volumes) as one modality", tinyTaskZip(dir -> Files.write(dir.resolve(m0),
                        withDims(volume(new int[] {40, 24, 28}, MM), 4, 28, 24, 20, 2))), 422,
                        m0 + " has 4 dimensions"),
                new Hostile("2D image in a Decathlon task", tinyTaskZip(dir -> {
                    decathlonLayout(dir);
                    Files.write(dir.resolve("imagesTr/tiny_000.nii.gz"),
                            withDims(volume(new int[] {1, 24, 28}, MM), 2, 28, 24, 1, 1));
                }), 422, "imagesTr/tiny_000.nii.gz has 2 dimensions"),
                new Hostile("0-byte image", tinyTaskZip(dir -> Files.write(dir.resolve(m0), new byte[0])), 422,
                        "not a readable NIfTI file: " + m0),
                new Hostile("image not NIfTI", tinyTaskZip(dir -> Files.writeString(dir.resolve(m0), "hello")), 422,
                        "not a readable NIfTI file: " + m0),
                new Hostile("modalities of different shapes", tinyTaskZip(dir -> {
                    twoModalities(dir);
                    NiftiIO.write(volume(new int[] {10, 24, 28}, MM), NiftiDataType.FLOAT32,
                            dir.resolve("imagesTr/tiny_000_0001.nii.gz"));
                }), 422, "the size (z,y,x) of imagesTr/tiny_000_0001.nii.gz does not match labelsTr/tiny_000.nii.gz"),
                new Hostile("modalities of different spacings", tinyTaskZip(dir -> {
                    twoModalities(dir);
                    NiftiIO.write(volume(TinyTask.SHAPE, ImageGeometry.identity(new double[] {1, 1, 2})),
                            NiftiDataType.FLOAT32, dir.resolve("imagesTr/tiny_000_0001.nii.gz"));
                }), 422, "the spacing of imagesTr/tiny_000_0001.nii.gz does not match labelsTr/tiny_000.nii.gz"),
                new Hostile("label value outside dataset.json", tinyTaskZip(dir -> {
                    Path label = dir.resolve("labelsTr/tiny_001.nii.gz");
                    Volume v = NiftiIO.read(label);
                    v.data()[0] = 3;
                    NiftiIO.write(v, NiftiDataType.UINT8, label);
                }), 422, "unexpected label values [3.0] in labelsTr/tiny_001.nii.gz"),
                new Hostile("dataset.json names a missing image", tinyTaskZip(dir ->
                        Files.delete(dir.resolve("imagesTr/tiny_001_0000.nii.gz"))), 422,
                        "could not find image file imagesTr/tiny_001_0000.nii.gz"));

        Set<String> tempBefore = uploadTempFolders();
        for (Hostile h : table) {
            long start = System.nanoTime();
            io.restassured.response.Response r = api().contentType("application/zip").body(h.body())
                    .when().post("/v1/datasets/" + task);
            System.out.printf("hostile upload | %s | %d bytes | %d | %d ms%n", h.name(), h.body().length,
                    r.statusCode(), (System.nanoTime() - start) / 1_000_000);
            assertEquals(h.status(), r.statusCode(), h.name() + ": " + r.asString());
            assertEquals(h.status(), r.jsonPath().getInt("status"), h.name() + ": " + r.asString());
            assertTrue(r.jsonPath().getString("message").contains(h.message()), h.name() + ": " + r.asString());
            assertEquals(List.of(), store.list("raw/" + task + "/"), h.name() + ": nothing stored");
            assertEquals(List.of(), store.list("versions/" + task + "/"), h.name() + ": no version pending");
            assertEquals(tempBefore, uploadTempFolders(), h.name() + ": no temp folder left");
            given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        }
        String declared = RawHttp.postHeadersOnly("/v1/datasets/" + task, "test-token-0123456789",
                "application/zip", 10L * 1024 * 1024 * 1024);
        assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
        assertTrue(declared.contains("exceeds the limit of 3000000 bytes (nnunet.planner.max-upload-bytes)"),
                declared);
        byte[] large = zipOf(m0, noise(3_500_000));
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                + "/v1/datasets/" + task))
                .header("Authorization", "Bearer test-token-0123456789").header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), "3.5 MB sent chunked (no Content-Length): " + chunked.body());
        assertTrue(chunked.body().contains("upload larger than 3000000 bytes"), chunked.body());
        api().contentType("application/zip").body(zipOf("dataset.json", new byte[] {1}))
                .when().post("/v1/datasets/NotATask").then().statusCode(400)
                .body("message", containsString("invalid task name"));
        assertEquals(List.of(), KafkaTopics.await(Topics.DATASET_VERSION_CREATED, r -> task.equals(r.key()), 1,
                Duration.ofSeconds(4)), "no dataset version (debounce 2 s) from refused uploads");

        // a zip inside is a file like any other: stored as uploaded, never opened (this one is a zip bomb)
        api().contentType("application/zip").body(tinyTaskZip(dir -> Files.write(dir.resolve("imagesTr/notes.zip"),
                bomb))).when().post("/v1/datasets/" + task).then().statusCode(202).body("objects", is(6));
        assertArrayEquals(bomb, store.getBytes("raw/" + task + "/imagesTr/notes.zip"));
        assertEquals(1, KafkaTopics.await(Topics.DATASET_VERSION_CREATED, r -> task.equals(r.key()), 1,
                Duration.ofSeconds(30)).size(), "the valid upload after them becomes a version");
    }

    private static final ImageGeometry MM = ImageGeometry.identity(new double[] {1, 1, 1});
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A generated 2-case task, edited, zipped inside a top-level folder. */
    private static byte[] tinyTaskZip(Edit edit) throws Exception {
        Path dir = Files.createTempDirectory("hostile");
        try {
            TinyTask.write(dir, 2, 7);
            edit.apply(dir);
            return zip(dir, "task/");
        } finally {
            StoreFolders.deleteQuietly(dir);
        }
    }

    private static Volume volume(int[] shape, ImageGeometry geometry) {
        float[] data = new float[shape[0] * shape[1] * shape[2]];
        java.util.Arrays.fill(data, 100f);
        return new Volume(shape, data, geometry);
    }

    /** Gzipped NIfTI-1 of {@code v} with {@code dim[0..]} overwritten (the voxel bytes fit the new dims). */
    private static byte[] withDims(Volume v, int... dims) throws IOException {
        Path nii = Files.createTempFile("dims", ".nii");
        try {
            NiftiIO.write(v, NiftiDataType.FLOAT32, nii);
            ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(nii)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(348, header.getInt(0), "little-endian NIfTI-1");
            for (int i = 0; i < dims.length; i++) {
                header.putShort(40 + 2 * i, (short) dims[i]);
            }
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(header.array());
            }
            return gz.toByteArray();
        } finally {
            Files.deleteIfExists(nii);
        }
    }

    /** Two modalities: dataset.json declares MRI and T2, every case gets a copy of its image as _0001. */
    private static void twoModalities(Path dir) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve("dataset.json").toFile());
        json.putObject("modality").put("0", "MRI").put("1", "T2");
        JSON.writeValue(dir.resolve("dataset.json").toFile(), json);
        try (Stream<Path> images = Files.list(dir.resolve("imagesTr"))) {
            for (Path image : images.toList()) {
                Files.copy(image, image.resolveSibling(image.getFileName().toString().replace("_0000", "_0001")));
            }
        }
    }

    /** The Decathlon layout: images without the _0000 modality suffix. */
    private static void decathlonLayout(Path dir) throws IOException {
        try (Stream<Path> images = Files.list(dir.resolve("imagesTr"))) {
            for (Path image : images.toList()) {
                Files.move(image, image.resolveSibling(image.getFileName().toString().replace("_0000", "")));
            }
        }
    }

    private static byte[] truncated(byte[] zip) {
        return java.util.Arrays.copyOf(zip, zip.length / 2);
    }

    private static byte[] noise(int bytes) {
        byte[] b = new byte[bytes];
        new Random(1).nextBytes(b);
        return b;
    }

    /** One deflated entry of {@code bytes} zeros (about 1000:1). */
    private static byte[] bomb(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("task/imagesTr/bomb_0000.nii.gz"));
            for (long left = bytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** A stored 4-byte entry whose local header claims {@code size} bytes (compressed and uncompressed). */
    private static byte[] declaredSize(long size) throws IOException {
        byte[] data = {1, 2, 3, 4};
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry e = new ZipEntry("task/imagesTr/big_0000.nii.gz");
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x04034b50, b.getInt(0), "local file header first");
        b.putInt(18, (int) size).putInt(22, (int) size);
        return b.array();
    }

    private static byte[] manyEntries(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < n; i++) {
                zip.putNextEntry(new ZipEntry(String.format("task/e%05d", i)));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The upload work folders ({@code nnunet-upload*}) in the temp directory the service shares with the test. */
    private static Set<String> uploadTempFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nnunet-upload"))
                    .collect(Collectors.toSet());
        }
    }
}
