package org.nnunet.inference.service.bench;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nnunet.inference.ModelPackage;
import org.nnunet.inference.service.NativeHeap;
import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bounded load on the prediction endpoint over loopback: concurrency 1, 2, 4, 8 closed-loop clients for a fixed
 * duration each, posting Hippocampus test images (imagesTs, 1 modality) to a served 3d_fullres Hippocampus model;
 * prints latency percentiles and throughput, and the process RSS before and after. The model is the fold given by
 * {@code -Dnnunet.bench.fold} with the plans of {@code -Dnnunet.bench.plans} (defaults: the /tmp/nn example
 * training). Run: {@code -Dgroups=benchmark -DexcludedGroups=none -Dtest=InferenceLoadBenchmark} plus the servers'
 * Maven arguments. {@code -Dnnunet.bench.seconds} sets the duration per level (default 20).
 */
@QuarkusTest
@Tag("benchmark")
@EnabledIfSystemProperty(named = "nnunet.s3.endpoint", matches = ".+")
class InferenceLoadBenchmark {

    static final String TASK = "Task004_Hippocampus";
    static final String TOKEN = "test-token-0123456789";

    @Inject
    ObjectStore store;

    @Test
    void loadTable() throws Exception {
        Path fold = Path.of(System.getProperty("nnunet.bench.fold",
                "/tmp/nn/res/nnUNet/3d_fullres/Task004_Hippocampus/nnUNetTrainerV2__nnUNetPlansv2.1/fold_0"));
        Path plans = Path.of(System.getProperty("nnunet.bench.plans",
                "/tmp/nn/pre/Task004_Hippocampus/nnUNetPlansv2.1_plans_3D.json"));
        Path images = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data/Task04_Hippocampus/imagesTs");
        assumeTrue(Files.isRegularFile(fold.resolve("model_final_checkpoint.model")) && Files.isRegularFile(plans),
                "no trained Hippocampus fold at " + fold);
        assumeTrue(Files.isDirectory(images), "no " + images);
        int seconds = Integer.getInteger("nnunet.bench.seconds", 20);

        for (ObjectInfo o : store.list(ModelPackage.taskPrefix(TASK))) {
            store.delete(o.key());
        }
        ModelPackage.write(store, new ModelPackage.Manifest(TASK, "v1", "3d_fullres", List.of(0), Map.of(),
                "bench", "2026-11-27T00:00:00Z"), plans, null, Map.of(0, fold));
        ModelPackage.promote(store, TASK, "v1");

        List<byte[]> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(images)) {
            for (Path p : s.sorted().limit(8).toList()) {
                cases.add(Files.readAllBytes(p));
            }
        }
        String base = "http://127.0.0.1:" + io.restassured.RestAssured.port;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // the model is picked up from PROMOTED through the registry; wait for it
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (get(client, base + "/v1/tasks/" + TASK + "/model") != 200 && System.nanoTime() < deadline) {
            io.quarkus.arc.Arc.container().instance(org.nnunet.inference.service.ModelRegistry.class).get()
                    .refresh(TASK);
            Thread.sleep(500);
        }
        assertEquals(200, post(client, base, cases.get(0)), "warm-up prediction");
        // the baseline: the served model warmed up, then idle (and trimmed, unless memory-trim.enabled=false)
        Duration idle = ConfigProvider.getConfig().getValue("nnunet.inference.memory-trim.idle", Duration.class);
        Thread.sleep(idle.toMillis() + 3000);
        System.gc();
        long rssBefore = rssMb();
        long committedBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
        StringBuilder table = new StringBuilder(String.format("%n%-11s %8s %6s %10s %9s %9s %9s %9s%n",
                "concurrency", "requests", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
        for (int concurrency : new int[] {1, 2, 4, 8}) {
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger errors = new AtomicInteger();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int offset = w;
                workers.add(pool.submit(() -> {
                    int i = offset;
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        int status = post(client, base, cases.get(i++ % cases.size()));
                        if (status == 200) {
                            latencies.add(System.nanoTime() - s);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            pool.shutdown();
            double wall = (System.nanoTime() - t0) / 1e9;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            table.append(String.format("%-11d %8d %6d %10.2f %9.0f %9.0f %9.0f %9.0f%n", concurrency, sorted.size(),
                    errors.get(), sorted.size() / wall, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                    pct(sorted, 100)));
            assertEquals(0, errors.get(), "errors at concurrency " + concurrency);
        }
        System.gc();
        Thread.sleep(2000);
        long rssAfter = rssMb();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        // IdleMemoryTrimmer returns the freed native memory once no prediction ran for memory-trim.idle
        Thread.sleep(idle.toMillis() + 3000);
        long rssTrimmed = rssMb();
        table.append(String.format("RSS idle before the load %d MB (heap committed %d MB), after it and a GC %d MB (heap"
                        + " committed %d MB, used %d MB), after %d s idle (memory trim) %d MB; %d s per level, %d cores%n",
                rssBefore, committedBefore, rssAfter, heap.getCommitted() >> 20, heap.getUsed() >> 20,
                idle.toSeconds() + 5, rssTrimmed, seconds, Runtime.getRuntime().availableProcessors()));
        System.out.println(table);
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }

    static int get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static int post(HttpClient client, String base, byte[] image) throws IOException, InterruptedException {
        String boundary = "nnunet-bench-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; "
                + "filename=\"hippocampus_0000.nii.gz\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.write(image);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + TASK + "/predictions"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static long rssMb() {
        return NativeHeap.residentBytes().orElse(-1) >> 20;
    }
}
