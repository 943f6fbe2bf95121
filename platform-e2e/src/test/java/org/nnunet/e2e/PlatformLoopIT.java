package org.nnunet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.events.Topics;
import org.nnunet.image.ImageGeometry;
import org.nnunet.image.Volume;
import org.nnunet.nifti.NiftiDataType;
import org.nnunet.nifti.NiftiIO;
import org.nnunet.service.testing.KafkaTopics;
import org.nnunet.service.testing.TestTasks;
import org.nnunet.service.testing.TinyTask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's loop with the five services as separate processes (their packaged quarkus-run.jar) on the real Kafka
 * broker and S3 server of .ci/servers.sh: a task uploaded as a zip through planner-service's REST API is versioned,
 * planned, preprocessed, trained (tiny budget), packaged and published, and inference-service serves it; a second
 * upload with new labelled cases makes dataset version 2, which is trained and published, and inference-service
 * swaps to it while requests keep being answered. The stage latencies are printed as a table.
 */
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+",
        disabledReason = "needs the servers of .ci/servers.sh (bash .ci/run passes -Dnnunet.s3.endpoint)")
class PlatformLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration LOOP_TIMEOUT = Duration.ofMinutes(8);
    /** Folds per configuration of this deployment (nnunet.preprocess.folds). */
    private static final String FOLDS = "0";

    /** An input whose geometry differs from the training cases' in every part nnU-Net must give back. */
    private static final ImageGeometry INPUT_GEOMETRY = new ImageGeometry(new double[] {0.9, 1.0, 1.1},
            new double[] {12.5, -40.0, 7.25}, new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});

    /** One answered prediction request during the swap. */
    private record Answer(long startMillis, long endMillis, int status, String version) {}

    @Test
    @DisplayName("issue 7: upload -> DatasetVersionCreated -> PlansCreated -> PreprocessingCompleted -> FoldTrained"
            + " -> ModelPublished -> served prediction with the input's geometry; a second upload retrains and"
            + " inference-service hot-swaps to v2 without failing a request")
    void uploadTrainPublishServeThenRetrainAndHotSwap() throws Exception {
        Path repo = Path.of(System.getProperty("nnunet.e2e.repo", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(Path.of(System.getProperty("nnunet.e2e.work", "target/e2e")));
        String task = TestTasks.unique("Loop");
        Path inputs = Files.createTempDirectory(work, "inputs");
        try (Platform platform = new Platform(repo, work)) {
            try {
                long t0 = System.nanoTime();
                platform.start(FOLDS, true);
                System.out.printf("[e2e] run %s: 5 services ready in %.1f s (bucket %s, topics %s.*)%n", platform.run,
                        (System.nanoTime() - t0) / 1e9, platform.bucket, platform.run);
                runLoop(platform, task, inputs);
            } catch (Throwable failure) {
                System.out.println("[e2e] FAILED; service logs (last lines):" + platform.logs(60));
                throw failure;
            }
        }
    }

    private void runLoop(Platform platform, String task, Path inputs) throws Exception {
        String planner = platform.service("planner-service").baseUrl();
        String inference = platform.service("inference-service").baseUrl();
        Path caseFile = predictionInput(inputs);
        Volume input = NiftiIO.read(caseFile);

        // version 1: 6 labelled cases
        Path zip1 = taskZip(inputs.resolve("v1"), 6, 11);
        assertEquals(401, upload(planner, task, zip1, null).statusCode(), "REST upload needs the bearer token");
        long upload1 = System.currentTimeMillis();
        HttpResponse<String> accepted = upload(planner, task, zip1, Platform.TOKEN);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals(6 * 2 + 1, JSON.readTree(accepted.body()).get("objects").asInt(), "dataset.json + 6 x 2 NIfTI");
        awaitEvent(platform, Topics.MODEL_PUBLISHED, task, "v1");
        long served1 = awaitServed(inference, task, "v1");
        int expectedFolds = expectedFolds(platform, task, "v1");

        HttpResponse<byte[]> p1 = predict(inference, task, caseFile);
        assertEquals(200, p1.statusCode(), () -> new String(p1.body(), StandardCharsets.UTF_8));
        assertEquals("v1", p1.headers().firstValue("X-Model-Version").orElse(null));
        assertSegmentationOf(input, p1.body(), inputs.resolve("prediction-v1.nii.gz"));

        // version 2: new labelled cases; requests keep coming while the new model is published and swapped in
        Path zip2 = taskZip(inputs.resolve("v2"), 8, 22);
        long upload2 = System.currentTimeMillis();
        HttpResponse<String> accepted2 = upload(planner, task, zip2, Platform.TOKEN);
        assertEquals(202, accepted2.statusCode(), accepted2.body());
        List<ConsumerRecord<String, String>> folds2 = KafkaTopics.await(platform.topic(Topics.FOLD_TRAINED),
                r -> isVersion(r, task, "v2"), expectedFolds, LOOP_TIMEOUT);
        assertEquals(expectedFolds, folds2.size(), "every fold of v2 trained");
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread prober = new Thread(() -> probe(inference, task, caseFile, answers, stop), "e2e-prober");
        prober.start();
        long served2;
        try {
            awaitEvent(platform, Topics.MODEL_PUBLISHED, task, "v2");
            served2 = awaitServed(inference, task, "v2");
            long until = System.currentTimeMillis() + 60_000;
            while (answers.stream().filter(a -> "v2".equals(a.version())).count() < 2
                    && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
        } finally {
            stop.set(true);
            prober.join(60_000);
        }
        long published2 = LoopLatency.of(platform, task, "v2", upload2, 0).marks[5];
        List<Answer> seen = List.copyOf(answers);
        System.out.printf("[e2e] %d prediction requests during the swap: %s%n", seen.size(),
                seen.stream().map(a -> a.status() + "/" + a.version()).toList());
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch(a -> a.status() == 200), "every request during the swap answered: " + seen);
        int firstV2 = indexOfFirst(seen, "v2");
        assertTrue(firstV2 > 0, "requests were answered by v1 before the swap and by v2 after it: " + seen);
        assertTrue(seen.subList(0, firstV2).stream().allMatch(a -> "v1".equals(a.version()))
                && seen.subList(firstV2, seen.size()).stream().allMatch(a -> "v2".equals(a.version())),
                "the served version only moves forward: " + seen);
        Answer lastV1 = seen.get(firstV2 - 1);
        assertTrue(lastV1.endMillis() >= published2,
                "a request was answered between ModelPublished(v2) and the swap: " + seen);

        JsonNode model = JSON.readTree(get(inference + "/v1/tasks/" + task + "/model").body());
        System.out.printf("[e2e] served model: %s%n", model);
        assertEquals("v2", model.get("version").asText());
        String served = model.get("configuration").asText();
        assertTrue(Set.of("2d", "3d_fullres").contains(served) || (served.startsWith("ensemble_2d__")
                && served.contains("--3d_fullres__")), "model selection chose a configuration or their ensemble: "
                + served);
        assertEquals("v2", model.get("datasetVersion").asText());
        HttpResponse<byte[]> p2 = predict(inference, task, caseFile);
        assertEquals(200, p2.statusCode());
        assertEquals("v2", p2.headers().firstValue("X-Model-Version").orElse(null));
        assertSegmentationOf(input, p2.body(), inputs.resolve("prediction-v2.nii.gz"));

        Map<String, LoopLatency> latency = new LinkedHashMap<>();
        latency.put("v1", LoopLatency.of(platform, task, "v1", upload1, served1));
        latency.put("v2", LoopLatency.of(platform, task, "v2", upload2, served2));
        assertEquals(expectedFolds, latency.get("v1").foldsTrained);
        System.out.printf("[e2e] loop latency of %s (%d configurations x folds %s, 1 epoch x 2 iterations per"
                + " fold, one trainer replica):%n%s", task, expectedFolds / FOLDS.split(",").length, FOLDS,
                LoopLatency.table(latency));
    }

    /** Requests back to back until {@code stop}: each records when it ran, its status and the version answering. */
    private static void probe(String inference, String task, Path caseFile, List<Answer> answers, AtomicBoolean stop) {
        while (!stop.get()) {
            long start = System.currentTimeMillis();
            try {
                HttpResponse<byte[]> r = predict(inference, task, caseFile);
                answers.add(new Answer(start, System.currentTimeMillis(), r.statusCode(),
                        r.headers().firstValue("X-Model-Version").orElse("?")));
            } catch (IOException e) {
                answers.add(new Answer(start, System.currentTimeMillis(), -1, e.toString()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int indexOfFirst(List<Answer> answers, String version) {
        for (int i = 0; i < answers.size(); i++) {
            if (version.equals(answers.get(i).version())) {
                return i;
            }
        }
        return -1;
    }

    /** The segmentation has the input's shape, spacing, origin and direction and only the task's labels. */
    private static void assertSegmentationOf(Volume input, byte[] nifti, Path file) throws IOException {
        Files.write(file, nifti);
        Volume seg = NiftiIO.read(file);
        assertArrayEquals(input.shape(), seg.shape(), "shape");
        assertArrayEquals(input.geometry().itkSpacing(), seg.geometry().itkSpacing(), 1e-5, "spacing");
        assertArrayEquals(input.geometry().itkOrigin(), seg.geometry().itkOrigin(), 1e-4, "origin");
        assertArrayEquals(input.geometry().itkDirection(), seg.geometry().itkDirection(), 1e-6, "direction");
        Set<Float> labels = new TreeSet<>();
        for (float v : seg.data()) {
            labels.add(v);
        }
        assertTrue(Set.of(0f, 1f).containsAll(labels), "labels " + labels + " are the task's (0 background, 1 blob)");
    }

    /** One TinyTask case re-written with {@link #INPUT_GEOMETRY}, named like a v1 test image. */
    private static Path predictionInput(Path dir) throws IOException {
        Path task = dir.resolve("input-task");
        TinyTask.write(task, 1, 99);
        Volume v = NiftiIO.read(task.resolve("imagesTr/tiny_000_0000.nii.gz"));
        Path file = dir.resolve("case_0000.nii.gz");
        NiftiIO.write(new Volume(v.shape(), v.data(), INPUT_GEOMETRY), NiftiDataType.FLOAT32, file);
        return file;
    }

    /** A TinyTask of {@code cases} cases as a zip with the task's files at its root. */
    private static Path taskZip(Path dir, int cases, long seed) throws IOException {
        Path task = dir.resolve("task");
        TinyTask.write(task, cases, seed);
        Path zip = dir.resolve("task.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             Stream<Path> files = Files.walk(task)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(task.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private static HttpResponse<String> upload(String planner, String task, Path zip, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(planner + "/v1/datasets/" + task))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofFile(zip));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> predict(String inference, String task, Path caseFile)
            throws IOException, InterruptedException {
        String boundary = "e2e-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\""
                + caseFile.getFileName() + "\"\r\nContent-Type: application/gzip\r\n\r\n");
        body.write(Files.readAllBytes(caseFile));
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = HttpRequest.newBuilder(URI.create(inference + "/v1/tasks/" + task + "/predictions"))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + Platform.TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Platform.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code GET /v1/tasks/{task}/model} until it names {@code version}; returns the time it first did. */
    private static long awaitServed(String inference, String task, String version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(inference + "/v1/tasks/" + task + "/model");
            if (r.statusCode() == 200 && version.equals(JSON.readTree(r.body()).path("version").asText())) {
                return System.currentTimeMillis();
            }
            last = r.statusCode() + " " + r.body();
            Thread.sleep(200);
        }
        throw new AssertionError("inference-service did not serve " + task + " " + version + "; last answer: " + last);
    }

    private static void awaitEvent(Platform platform, String topic, String task, String version) {
        List<ConsumerRecord<String, String>> found = KafkaTopics.await(platform.topic(topic),
                r -> isVersion(r, task, version), 1, LOOP_TIMEOUT);
        assertEquals(1, found.size(), "no " + topic + " for " + task + " " + version + " within " + LOOP_TIMEOUT);
    }

    /** Configurations planned x folds requested, from the version's PlansCreated and TrainingRequested events. */
    private static int expectedFolds(Platform platform, String task, String version) throws IOException {
        int requested = 0;
        for (ConsumerRecord<String, String> r : LoopLatency.readAll(platform.topic(Topics.TRAINING_REQUESTED))) {
            if (isVersion(r, task, version)) {
                requested++;
            }
        }
        ConsumerRecord<String, String> plans = LoopLatency.readAll(platform.topic(Topics.PLANS_CREATED)).stream()
                .filter(r -> isVersion(r, task, version)).findFirst().orElseThrow();
        int configurations = JSON.readTree(plans.value()).get("configurations").size();
        assertEquals(configurations * FOLDS.split(",").length, requested, "TrainingRequested per configuration x fold");
        return requested;
    }

    private static boolean isVersion(ConsumerRecord<String, String> r, String task, String version) {
        try {
            JsonNode e = JSON.readTree(r.value());
            return task.equals(e.path("task").asText()) && version.equals(e.path("datasetVersion").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
