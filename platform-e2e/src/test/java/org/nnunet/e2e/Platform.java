package org.nnunet.e2e;

import org.nnunet.events.Topics;
import org.nnunet.service.testing.ServiceProcess;
import org.nnunet.storage.MinioObjectStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The five services deployed as processes against the .ci servers' Kafka broker and S3 server, isolated from every
 * other test on the same servers: a bucket, topic names and consumer groups of their own ({@code e2e-RUN}).
 * The training budget is a few seconds (1 epoch x 2 iterations, 1 validation batch) and every newly published model
 * is promoted, so a second dataset version is always served.
 */
final class Platform implements AutoCloseable {

    static final String TOKEN = "e2e-token-0123456789abcdef";

    /** Channel -> topic of each service (their application.properties), re-pointed at this run's topics. */
    private static final Map<String, Map<String, String>> CHANNELS = Map.of(
            "planner-service", Map.of(
                    "incoming.minio-events", "nnunet.minio-events",
                    "incoming.versions-in", Topics.DATASET_VERSION_CREATED,
                    "outgoing.versions-out", Topics.DATASET_VERSION_CREATED,
                    "outgoing.plans-created", Topics.PLANS_CREATED,
                    "outgoing.dead-letter", Topics.DEAD_LETTER),
            "preprocess-service", Map.of(
                    "incoming.plans-created", Topics.PLANS_CREATED,
                    "outgoing.preprocessing-completed", Topics.PREPROCESSING_COMPLETED,
                    "outgoing.training-requested", Topics.TRAINING_REQUESTED,
                    "outgoing.dead-letter", Topics.DEAD_LETTER),
            "trainer-service", Map.of(
                    "incoming.training-requested", Topics.TRAINING_REQUESTED,
                    "outgoing.fold-trained", Topics.FOLD_TRAINED,
                    "outgoing.dead-letter", Topics.DEAD_LETTER),
            "ensemble-service", Map.of(
                    "incoming.fold-trained", Topics.FOLD_TRAINED,
                    "outgoing.model-published", Topics.MODEL_PUBLISHED,
                    "outgoing.dead-letter", Topics.DEAD_LETTER),
            "inference-service", Map.of(
                    "incoming.model-published", Topics.MODEL_PUBLISHED,
                    "outgoing.dead-letter", Topics.DEAD_LETTER));

    final String run;
    final String bucket;
    final List<ServiceProcess> services = new ArrayList<>();
    private final Path repo;
    private final Path work;

    Platform(Path repo, Path work) {
        this.repo = repo;
        this.work = work;
        StringBuilder id = new StringBuilder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) {
            id.append((char) ('a' + r.nextInt(26)));
        }
        this.run = "e2e-" + id;
        this.bucket = "nnunet-" + run;
    }

    /** This run's name of a pipeline topic. */
    String topic(String topic) {
        return run + "." + topic;
    }

    /**
     * Creates the bucket and starts the services with {@code folds} per configuration ({@code nnunet.preprocess.folds}),
     * 3d_fullres and (if {@code plan2d}) 2d planned; waits until all are ready.
     */
    void start(String folds, boolean plan2d) throws IOException, InterruptedException {
        MinioObjectStore.connect(System.getProperty("nnunet.s3.endpoint"), System.getProperty("nnunet.s3.access-key"),
                System.getProperty("nnunet.s3.secret-key"), bucket).ensureBucket();
        Map<String, Map<String, String>> own = new LinkedHashMap<>();
        own.put("planner-service", Map.of("nnunet.planner.debounce", "2s", "nnunet.planner.threads", "1",
                "nnunet.planner.plan2d", Boolean.toString(plan2d), "nnunet.planner.max-upload-bytes", "50000000"));
        own.put("preprocess-service", Map.of("nnunet.preprocess.folds", folds, "nnunet.preprocess.threads", "1"));
        own.put("trainer-service", Map.of("nnunet.trainer.epochs", "1", "nnunet.trainer.iterations", "2",
                "nnunet.trainer.validation-batches", "1", "nnunet.trainer.save-every", "1",
                "nnunet.trainer.data-workers", "1", "nnunet.trainer.lease-poll", "1s",
                "ai.djl.pytorch.num_threads", "2", "ai.djl.pytorch.num_interop_threads", "1"));
        own.put("ensemble-service", Map.of("nnunet.ensemble.promote-only-if-better", "false"));
        own.put("inference-service", Map.of("nnunet.inference.work-dir", work.resolve("inference-models").toString(),
                "ai.djl.pytorch.num_threads", "2", "ai.djl.pytorch.num_interop_threads", "1"));
        Map<String, String> heap = Map.of("planner-service", "512m", "preprocess-service", "512m",
                "trainer-service", "1g", "ensemble-service", "512m", "inference-service", "1g");
        for (var e : own.entrySet()) {
            String service = e.getKey();
            Map<String, String> props = new LinkedHashMap<>(common());
            CHANNELS.get(service).forEach((channel, topic) -> {
                props.put("mp.messaging." + channel + ".topic", topic(topic));
                if (channel.startsWith("incoming.")) {
                    props.put("mp.messaging." + channel + ".group.id", run + "-" + service);
                    props.put("mp.messaging." + channel + ".auto.offset.reset", "earliest");
                }
            });
            props.putAll(e.getValue());
            Path jar = repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            services.add(ServiceProcess.startOnFreePort(service, jar, List.of("-Xmx" + heap.get(service)), props,
                    Map.of("OMP_NUM_THREADS", "2"), work));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (ServiceProcess s : services) {
            s.awaitReady(deadline);
        }
    }

    private Map<String, String> common() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", System.getProperty("kafka.bootstrap.servers"));
        p.put("nnunet.store.kind", "s3");
        p.put("nnunet.store.endpoint", System.getProperty("nnunet.s3.endpoint"));
        p.put("nnunet.store.access-key", System.getProperty("nnunet.s3.access-key"));
        p.put("nnunet.store.secret-key", System.getProperty("nnunet.s3.secret-key"));
        p.put("nnunet.store.bucket", bucket);
        p.put("nnunet.api.token", TOKEN);
        p.put("ai.djl.offline", "true");
        return p;
    }

    ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** The last lines of every service's log, for a failure message. */
    String logs(int lines) {
        StringBuilder b = new StringBuilder();
        for (ServiceProcess s : services) {
            b.append("\n===== ").append(s.name()).append(" (").append(s.log()).append(") =====\n").append(s.tail(lines));
        }
        return b.toString();
    }

    /** Stops every service (also those that failed to start). */
    @Override
    public void close() {
        services.forEach(ServiceProcess::terminate);
        services.forEach(ServiceProcess::close);
    }
}
