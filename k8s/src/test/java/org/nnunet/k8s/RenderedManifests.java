package org.nnunet.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** An overlay rendered by {@code kubectl kustomize}, each document bound to its typed model. */
final class RenderedManifests {

    /** Kinds we deploy, bound to the fabric8 (core) and Strimzi (Kafka) models. */
    static final Map<String, Class<?>> TYPED_KINDS = Map.ofEntries(
            Map.entry("Namespace", Namespace.class), Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("Secret", Secret.class), Map.entry("Service", Service.class),
            Map.entry("Deployment", Deployment.class), Map.entry("StatefulSet", StatefulSet.class),
            Map.entry("Job", Job.class), Map.entry("Ingress", Ingress.class),
            Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class), Map.entry("Kafka", Kafka.class),
            Map.entry("KafkaNodePool", KafkaNodePool.class), Map.entry("KafkaTopic", KafkaTopic.class));

    record Document(String kind, String name, JsonNode tree, Object typed) {}

    final String overlay;
    final List<Document> documents;

    private RenderedManifests(String overlay, List<Document> documents) {
        this.overlay = overlay;
        this.documents = documents;
    }

    static Path repo() {
        return Path.of(System.getProperty("nnunet.repo.dir", "..")).toAbsolutePath().normalize();
    }

    private static final Map<String, RenderedManifests> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Rendered once per overlay and test run: the documents are only read. */
    static synchronized RenderedManifests render(String overlay) throws IOException, InterruptedException {
        RenderedManifests cached = CACHE.get(overlay);
        if (cached == null) {
            cached = renderNow(overlay);
            CACHE.put(overlay, cached);
        }
        return cached;
    }

    private static RenderedManifests renderNow(String overlay) throws IOException, InterruptedException {
        Path dir = repo().resolve("k8s/overlays").resolve(overlay);
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + err);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Document> docs = new ArrayList<>();
        try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(out)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isEmpty()) {
                    continue;
                }
                String kind = node.path("kind").asText();
                Class<?> type = TYPED_KINDS.get(kind);
                Object typed = type == null ? null : Serialization.jsonMapper().treeToValue(node, type);
                docs.add(new Document(kind, node.path("metadata").path("name").asText(), node, typed));
            }
        }
        return new RenderedManifests(overlay, docs);
    }

    List<Document> ofKind(String kind) {
        return documents.stream().filter(d -> d.kind.equals(kind)).toList();
    }

    <T> T typed(String kind, String name, Class<T> type) {
        return documents.stream().filter(d -> d.kind.equals(kind) && d.name.equals(name)).findFirst()
                .map(d -> type.cast(d.typed))
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    /** Pod templates of every workload, keyed by "Kind/name". */
    Map<String, PodSpec> podSpecs() {
        var specs = new java.util.TreeMap<String, PodSpec>();
        for (Document d : documents) {
            Optional<PodSpec> spec = switch (d.kind) {
                case "Deployment" -> Optional.of(((Deployment) d.typed).getSpec().getTemplate().getSpec());
                case "StatefulSet" -> Optional.of(((StatefulSet) d.typed).getSpec().getTemplate().getSpec());
                case "Job" -> Optional.of(((Job) d.typed).getSpec().getTemplate().getSpec());
                default -> Optional.empty();
            };
            spec.ifPresent(s -> specs.put(d.kind + "/" + d.name, s));
        }
        return specs;
    }

    static String describe(HasMetadata r) {
        return r.getKind() + "/" + r.getMetadata().getName();
    }
}
