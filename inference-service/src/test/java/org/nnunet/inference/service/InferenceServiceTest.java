package org.nnunet.inference.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.DeadLetter;
import org.nnunet.events.EventCodec;
import org.nnunet.events.ModelPublished;
import org.nnunet.events.Topics;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.inference.ModelPackage;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.service.testing.RawHttp;
import org.nnunet.service.testing.RouteAuthentication;
import org.opentest4j.AssertionFailedError;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference service against the real Kafka broker and S3 server of .ci/servers.sh, with a tiny model trained in
 * the setup: prediction keeps the input geometry, every route needs the token, hostile uploads get a clear 4xx,
 * batch jobs over a prefix, and a hot swap on {@code ModelPublished} while requests are in flight.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class InferenceServiceTest {

    static final String TOKEN = "test-token-0123456789";
    static final String TASK = TinyModel.TASK;
    /** Non-trivial geometry, to see it come back unchanged. */
    static final ImageGeometry GEOMETRY = new ImageGeometry(new double[] {1, 1, 1}, new double[] {5, -3, 2},
            new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    static boolean ready;
    static Path work;

    @Inject
    ObjectStore store;

    @Inject
    PredictionService predictions;

    @Inject
    Router router;

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void trainAndServeV1() throws Exception {
        if (ready) {
            return;
        }
        work = Files.createTempDirectory("inference-test");
        for (ObjectInfo o : store.list(ModelPackage.taskPrefix(TASK))) {
            store.delete(o.key());
        }
        Map.Entry<Path, Path> trained = TinyModel.train(work);
        TinyModel.publish(store, trained, "v1");
        TinyModel.publish(store, trained, "v2");
        ModelPackage.promote(store, TASK, "v1");
        publish("v1");
        awaitVersion("v1");
        ready = true;
    }

    static RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    static void publish(String version) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            ModelPublished e = new ModelPublished(TASK, "test-" + version, UUID.randomUUID().toString(), version,
                    ModelPackage.prefix(TASK, version));
            p.send(new ProducerRecord<>(Topics.MODEL_PUBLISHED, TASK, new EventCodec().serialize(e)));
            p.flush();
        }
    }

    static void publishRaw(byte[] payload) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(Topics.MODEL_PUBLISHED, TASK, payload));
            p.flush();
        }
    }

    /** Dead letters whose payload contains {@code marker}, read from the start of the topic for up to 30 s. */
    static List<DeadLetter> deadLetters(String marker) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        List<DeadLetter> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.DEAD_LETTER));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (found.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    DeadLetter d = new EventCodec().deserialize(r.value(), DeadLetter.class);
                    if (d.payload().contains(marker)) {
                        found.add(d);
                    }
                }
            }
        }
        return found;
    }

    static void awaitVersion(String version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Response r = auth().get("/v1/tasks/" + TASK + "/model");
            if (r.statusCode() == 200 && version.equals(r.jsonPath().getString("version"))) {
                return;
            }
            Thread.sleep(200);
        }
        auth().get("/v1/tasks/" + TASK + "/model").then().log().all().body("version", is(version));
    }

    static byte[] nifti(Volume v, String suffix) throws IOException {
        Path f = Files.createTempFile(work, "upload", suffix);
        NiftiIO.write(v, NiftiDataType.FLOAT32, f);
        return Files.readAllBytes(f);
    }

    static Response predict(Map<String, byte[]> files) {
        RequestSpecification r = auth();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            r = r.multiPart("files", f.getKey(), f.getValue(), "application/octet-stream");
        }
        return r.post("/v1/tasks/" + TASK + "/predictions");
    }

    static Map<String, byte[]> validCase(String id) throws IOException {
        return Map.of(id + "_0000.nii.gz", nifti(TinyModel.image(1, 0, GEOMETRY), ".nii.gz"),
                id + "_0001.nii.gz", nifti(TinyModel.image(1, 1, GEOMETRY), ".nii.gz"));
    }

    @Test
    @Order(1)
    @DisplayName("POST predictions: a uint8 NIfTI segmentation with the input's shape and geometry, labels 0/1,"
            + " from the promoted v1; latency timer and readiness report it")
    void predictionKeepsGeometry() throws IOException {
        Response r = predict(validCase("case_7"));
        r.then().statusCode(200).header("X-Model-Version", "v1");
        Path out = work.resolve("case_7_seg.nii.gz");
        Files.write(out, r.asByteArray());
        Volume seg = NiftiIO.read(out);
        assertArrayEquals(TinyModel.SHAPE, seg.shape());
        assertTrue(seg.geometry().approximatelyEquals(GEOMETRY, 1e-6), seg.geometry().toString());
        Set<Float> labels = new HashSet<>();
        for (float f : seg.data()) {
            labels.add(f);
        }
        assertTrue(Set.of(0f, 1f).containsAll(labels), "labels " + labels);

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'models' }.data." + TASK, is("loaded v1"));
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("nnunet_inference_latency_seconds_count{outcome=\"success\",task=\"" + TASK
                + "\",version=\"v1\"}"), "latency timer missing from /q/metrics");
    }

    @Test
    @Order(2)
    @DisplayName("every route (OpenAPI operations, Vert.x router, static files) answers 401 with a JSON message to a"
            + " missing, wrong or mangled token and to path tricks; only health, metrics and the viewer are open")
    void everyRouteNeedsTheToken() {
        RouteAuthentication.Report report = RouteAuthentication.withToken(TOKEN)
                .publicPaths("/", "/index.html", "/viewer.js").sample("task", TASK).sample("id", "some-job")
                .check(router);
        System.out.println("inference-service routes:\n" + report.markdown());
        Set<String> operations = new HashSet<>();
        for (RouteAuthentication.Row r : report.rows()) {
            if (r.source().contains("openapi")) {
                assertEquals(401, r.withoutToken(), r.toString());
                operations.add(r.method() + " " + r.route());
            }
        }
        assertTrue(operations.containsAll(List.of("POST /v1/tasks/{task}/predictions", "POST /v1/tasks/{task}/jobs",
                "GET /v1/jobs/{id}", "GET /v1/tasks/{task}/model", "GET /v1/tasks")), operations.toString());
        Set<String> open = new HashSet<>();
        report.rows().stream().filter(r -> r.open() && r.method().equals("GET")).forEach(r -> open.add(r.path()));
        assertTrue(open.containsAll(List.of("/", "/index.html", "/viewer.js", "/q/metrics", "/q/health/ready")),
                open.toString());
        given().get("/").then().statusCode(200).body(containsString("<canvas"));
        // the check itself: without the viewer declared public, its open files fail it
        AssertionFailedError undeclared = assertThrows(AssertionFailedError.class,
                () -> RouteAuthentication.withToken(TOKEN).sample("task", TASK).check(router));
        assertTrue(undeclared.getMessage().contains("without a token but is not a declared public path"),
                undeclared.getMessage());
    }

    /** One hostile upload: the files, the expected status and a piece of the expected message. */
    record Hostile(String name, Map<String, byte[]> files, int status, String message) {}

    @Test
    @Order(3)
    @DisplayName("hostile uploads each get a 4xx with a clear JSON message and the service stays healthy")
    void hostileUploads() throws IOException {
        Volume m0Volume = TinyModel.image(1, 0, GEOMETRY);
        byte[] m0 = nifti(m0Volume, ".nii.gz");
        byte[] m1 = nifti(TinyModel.image(1, 1, GEOMETRY), ".nii.gz");
        Volume small = new Volume(new int[] {10, 24, 28}, new float[10 * 24 * 28], GEOMETRY);
        java.util.Arrays.fill(small.data(), 1f);
        ImageGeometry otherSpacing = new ImageGeometry(new double[] {1, 1, 2}, GEOMETRY.itkOrigin(),
                GEOMETRY.itkDirection());
        List<Hostile> table = List.of(
                new Hostile("0-byte file", Map.of("c_0000.nii.gz", new byte[0], "c_0001.nii.gz", m1), 400, "empty"),
                new Hostile("not NIfTI", Map.of("c_0000.nii.gz", "hello, not an image".getBytes(StandardCharsets.UTF_8),
                        "c_0001.nii.gz", m1), 422, "not a readable NIfTI"),
                new Hostile("header claims 30000^3 voxels", Map.of("c_0000.nii", hugeDims(), "c_0001.nii.gz", m1), 422,
                        "c_0000.nii"),
                new Hostile("missing modality", Map.of("c_0000.nii.gz", m0), 400, "modality 0001 is missing"),
                new Hostile("mismatched shapes", Map.of("c_0000.nii.gz", m0, "c_0001.nii.gz", nifti(small, ".nii.gz")),
                        422, "must share one grid"),
                new Hostile("mismatched spacing", Map.of("c_0000.nii.gz", m0, "c_0001.nii.gz",
                        nifti(TinyModel.image(1, 1, otherSpacing), ".nii.gz")), 422, "spacing"),
                new Hostile("2D file", Map.of("c_0000.nii.gz", withDims(oneSlice(m0Volume), 2),
                        "c_0001.nii.gz", m1), 422, "'c_0000.nii.gz' has 2 dimensions, expected a 3D image"),
                new Hostile("4D file (2 volumes)", Map.of("c_0000.nii.gz", m0, "c_0001.nii.gz", fourD()), 422,
                        "has 2 volumes"),
                new Hostile("path traversal in the name", Map.of("../../etc/c_0000.nii.gz", m0, "c_0001.nii.gz", m1),
                        400, "path"),
                new Hostile("absolute path as the name", Map.of("/etc/c_0000.nii.gz", m0, "c_0001.nii.gz", m1),
                        400, "path"),
                new Hostile("backslash path as the name", Map.of("..\\..\\c_0000.nii.gz", m0, "c_0001.nii.gz", m1),
                        400, "path"),
                new Hostile("wrong extension", Map.of("c_0000.png", m0, "c_0001.nii.gz", m1), 400, "CASE_XXXX"),
                new Hostile("two cases in one request", Map.of("a_0000.nii.gz", m0, "b_0001.nii.gz", m1), 400,
                        "different cases"),
                new Hostile("no file", Map.of(), 400, "no file"));
        for (Hostile h : table) {
            long start = System.nanoTime();
            Response r = h.files().isEmpty()
                    ? auth().multiPart("note", "no files").post("/v1/tasks/" + TASK + "/predictions")
                    : predict(h.files());
            System.out.printf("hostile upload | %s | %d | %d ms%n", h.name(), r.statusCode(),
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(h.status(), r.statusCode(), h.name() + ": " + r.asString());
            assertTrue(r.jsonPath().getString("message").contains(h.message()), h.name() + ": " + r.asString());
        }
        auth().contentType("application/json").body("{}").post("/v1/tasks/" + TASK + "/predictions")
                .then().statusCode(415);
        auth().multiPart("files", "c_0000.nii.gz", m0).post("/v1/tasks/Task_bad/predictions")
                .then().statusCode(400).body("message", containsString("TaskXXX_NAME"));
        auth().multiPart("files", "c_0000.nii.gz", m0).post("/v1/tasks/Task999_None/predictions")
                .then().statusCode(404).body("message", containsString("none promoted yet"));

        String declared = RawHttp.postHeadersOnly("/v1/tasks/" + TASK + "/predictions", TOKEN,
                "multipart/form-data; boundary=xyz", 10L * 1024 * 1024 * 1024);
        assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
        assertTrue(declared.contains("exceeds the limit"), declared);

        given().get("/q/health/ready").then().statusCode(200);
        predict(validCase("after")).then().statusCode(200);
        Path uploads = Path.of(ConfigProvider.getConfig().getValue("quarkus.http.body.uploads-directory", String.class));
        List<Path> left = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            try (var files = Files.list(uploads)) {
                left = files.toList(); // deleted when each request ends, possibly just after its answer
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left, "uploaded files left behind");
    }

    /** An uncompressed NIfTI whose header claims 30000 x 30000 x 30000 voxels (dim[1..3] at byte 42). */
    static byte[] hugeDims() throws IOException {
        byte[] b = nifti(TinyModel.image(1, 0, GEOMETRY), ".nii");
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.putShort(42, (short) 30000).putShort(44, (short) 30000).putShort(46, (short) 30000);
        return b;
    }

    /** The gzipped NIfTI-1 of {@code v} with {@code dim[0] = ndim} (a 2D header keeps the bytes valid: z is 1). */
    static byte[] withDims(Volume v, int ndim) throws IOException {
        byte[] nii = nifti(v, ".nii");
        ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) ndim);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(nii);
        }
        return gz.toByteArray();
    }

    static Volume oneSlice(Volume v) {
        int[] s = v.shape();
        return new Volume(new int[] {1, s[1], s[2]}, java.util.Arrays.copyOf(v.data(), s[1] * s[2]), v.geometry());
    }

    /** A 4D NIfTI-1 holding two volumes of the model's shape: a 3D file of twice the slices, re-labelled. */
    static byte[] fourD() throws IOException {
        Volume one = TinyModel.image(1, 1, GEOMETRY);
        int[] s = one.shape();
        float[] two = java.util.Arrays.copyOf(one.data(), one.data().length * 2);
        System.arraycopy(one.data(), 0, two, one.data().length, one.data().length);
        byte[] nii = nifti(new Volume(new int[] {2 * s[0], s[1], s[2]}, two, GEOMETRY), ".nii");
        ByteBuffer.wrap(nii).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) 4).putShort(46, (short) s[0])
                .putShort(48, (short) 2);
        return nii;
    }

    /** Sends only the headers of a POST declaring {@code length} bytes; returns what the server answers. */

    @Test
    @Order(4)
    @DisplayName("batch job over an object-store prefix: 202 + id, polled to SUCCEEDED, one NIfTI per case written;"
            + " traversal in a prefix is refused")
    void batchJob() throws Exception {
        for (String id : List.of("b1", "b2")) {
            for (Map.Entry<String, byte[]> f : validCase(id).entrySet()) {
                store.putBytes("jobs/in/" + f.getKey(), f.getValue());
            }
        }
        String jobId = auth().contentType("application/json")
                .body(Map.of("inputPrefix", "jobs/in/", "outputPrefix", "jobs/out"))
                .post("/v1/tasks/" + TASK + "/jobs")
                .then().statusCode(202).header("Location", containsString("/v1/jobs/"))
                .body("cases", is(2)).extract().jsonPath().getString("id");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String status = "";
        while (System.nanoTime() < deadline && !status.equals("SUCCEEDED") && !status.equals("FAILED")) {
            Thread.sleep(200);
            status = auth().get("/v1/jobs/" + jobId).jsonPath().getString("status");
        }
        auth().get("/v1/jobs/" + jobId).then().statusCode(200).body("status", is("SUCCEEDED")).body("done", is(2));
        for (String id : List.of("b1", "b2")) {
            Path out = work.resolve(id + "-job.nii.gz");
            Files.write(out, store.getBytes("jobs/out/" + id + ".nii.gz"));
            assertArrayEquals(TinyModel.SHAPE, NiftiIO.read(out).shape());
        }
        auth().contentType("application/json").body(Map.of("inputPrefix", "../secrets/", "outputPrefix", "o/"))
                .post("/v1/tasks/" + TASK + "/jobs").then().statusCode(400).body("message", containsString(".."));
        auth().get("/v1/jobs/nope").then().statusCode(404).body("message", containsString("no job"));
    }

    @Test
    @Order(5)
    @DisplayName("ModelPublished for v2 hot-swaps the served model; requests in flight during the swap all complete;"
            + " a poison message before it goes to the dead-letter topic and the consumer goes on")
    void hotSwapWhileRequestsAreInFlight() throws Exception {
        Map<String, byte[]> files = validCase("swap");
        String marker = "poison-" + UUID.randomUUID();
        publishRaw(("{not json " + marker).getBytes(StandardCharsets.UTF_8));
        List<CompletableFuture<Response>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> predict(files)));
        }
        // a request that holds the model before v2 is promoted must finish on v1
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (predictions.inFlight() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(predictions.inFlight() >= 1, "no request in flight");
        ModelPackage.promote(store, TASK, "v2");
        publish("v2");
        awaitVersion("v2");
        List<String> versions = new ArrayList<>();
        for (CompletableFuture<Response> f : inFlight) {
            Response r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.asString());
            versions.add(r.header("X-Model-Version"));
        }
        assertTrue(versions.contains("v1"), "no request ran on the old model: " + versions);
        predict(files).then().statusCode(200).header("X-Model-Version", "v2");
        publish("v2"); // a redelivered event changes nothing
        auth().get("/v1/tasks/" + TASK + "/model").then().statusCode(200).body("version", is("v2"));
        List<DeadLetter> dead = deadLetters(marker);
        assertEquals(1, dead.size());
        assertEquals(Topics.MODEL_PUBLISHED, dead.get(0).sourceTopic());
        assertTrue(dead.get(0).error().contains("invalid JSON"), dead.get(0).error());
    }

    @Test
    @Order(6)
    @DisplayName("memory trim: after memory-trim.idle (2 s in the test profile) without a prediction the model thread"
            + " calls malloc_trim once, and not again until the next prediction")
    void idleServiceReturnsFreedNativeMemoryOnce() throws Exception {
        predict(validCase("trim")).then().statusCode(200);
        double before = meters.get("nnunet.inference.memory.trims").counter().count();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (meters.get("nnunet.inference.memory.trims").counter().count() == before
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(before + 1, meters.get("nnunet.inference.memory.trims").counter().count(),
                "one trim once the service was idle for 2 s after the prediction");
        Thread.sleep(4000);
        assertEquals(before + 1, meters.get("nnunet.inference.memory.trims").counter().count(),
                "no second trim without a prediction in between");
        predict(validCase("trim2")).then().statusCode(200);
        deadline = System.nanoTime() + 20_000_000_000L;
        while (meters.get("nnunet.inference.memory.trims").counter().count() == before + 1
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(before + 2, meters.get("nnunet.inference.memory.trims").counter().count(),
                "the next prediction arms the trim again");
    }
}
