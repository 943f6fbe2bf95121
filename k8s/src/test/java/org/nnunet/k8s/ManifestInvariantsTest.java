package org.nnunet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules a cluster would only tell us at deploy time, checked on the rendered overlays. */
class ManifestInvariantsTest {

    static final List<String> SERVICES = List.of("planner-service", "preprocess-service", "trainer-service",
            "inference-service", "ensemble-service");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentBindsToItsModelWithoutUnknownFields(String overlay) throws Exception {
        RenderedManifests m = RenderedManifests.render(overlay);
        assertTrue(m.documents.size() > 20, "rendered " + m.documents.size() + " documents");
        List<String> problems = new ArrayList<>();
        for (RenderedManifests.Document d : m.documents) {
            if (d.typed() == null) {
                // KEDA has no Java model: its ScaledObject is checked field by field in the prod test.
                if (!d.kind().equals("ScaledObject")) {
                    problems.add("no model for kind " + d.kind());
                }
                continue;
            }
            unknownFields(d.typed(), d.kind() + "/" + d.name(), problems, new IdentityHashMap<>());
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerHasProbesLimitsAndANonRootContext(String overlay) throws Exception {
        RenderedManifests m = RenderedManifests.render(overlay);
        Map<String, PodSpec> pods = m.podSpecs();
        assertTrue(pods.keySet().containsAll(SERVICES.stream().map(s -> "Deployment/" + s).toList()), pods.keySet()::toString);
        for (var e : pods.entrySet()) {
            PodSpec pod = e.getValue();
            boolean podNonRoot = pod.getSecurityContext() != null
                    && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
            for (Container c : pod.getContainers()) {
                String where = overlay + " " + e.getKey() + " container " + c.getName();
                // Jobs run to completion: probes have no meaning there.
                if (!e.getKey().startsWith("Job/")) {
                    assertNotNull(c.getReadinessProbe(), where + ": readiness probe");
                    assertNotNull(c.getLivenessProbe(), where + ": liveness probe");
                }
                Map<String, Quantity> limits = c.getResources().getLimits();
                assertTrue(limits != null && limits.containsKey("cpu") && limits.containsKey("memory"),
                        where + ": cpu and memory limits");
                boolean containerNonRoot = c.getSecurityContext() != null
                        && Boolean.TRUE.equals(c.getSecurityContext().getRunAsNonRoot());
                assertTrue(podNonRoot || containerNonRoot, where + ": runAsNonRoot");
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(),
                        where + ": allowPrivilegeEscalation false");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void imageTagsArePinned(String overlay) throws Exception {
        for (var e : RenderedManifests.render(overlay).podSpecs().entrySet()) {
            for (Container c : e.getValue().getContainers()) {
                String image = c.getImage();
                int slash = image.lastIndexOf('/');
                String tag = image.substring(slash + 1).contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
                assertFalse(tag.isEmpty() || tag.equals("latest"), e.getKey() + " image " + image + " is not pinned");
            }
        }
    }

    @Test
    void prodTrainerAndInferenceRunOnTheGpuPool() throws Exception {
        RenderedManifests m = RenderedManifests.render("prod");
        for (String service : List.of("trainer-service", "inference-service")) {
            PodSpec pod = m.typed("Deployment", service, Deployment.class).getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/gpu"), service + " GPU limit");
            assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())
                    && "NoSchedule".equals(t.getEffect())), service + " tolerates the GPU taint");
            assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"), service + " GPU node selector");
            assertTrue(c.getImage().contains("-cuda:"), service + " uses the CUDA image: " + c.getImage());
        }
        // A checkpoint must fit in the grace period.
        assertTrue(m.typed("Deployment", "trainer-service", Deployment.class).getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds() >= 300);

        var scaled = m.ofKind("ScaledObject");
        assertEquals(1, scaled.size());
        var spec = scaled.get(0).tree().path("spec");
        assertEquals("trainer-service", spec.path("scaleTargetRef").path("name").asText());
        var trigger = spec.path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        assertTrue(topics(m).contains(trigger.path("metadata").path("topic").asText()), "KEDA watches a declared topic");

        Set<String> pdbTargets = m.ofKind("PodDisruptionBudget").stream()
                .map(d -> d.tree().path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText())
                .collect(Collectors.toSet());
        for (var d : m.ofKind("Deployment")) {
            Deployment dep = (Deployment) d.typed();
            if (dep.getSpec().getReplicas() > 1) {
                assertTrue(pdbTargets.contains(d.name()), d.name() + " has more than one replica but no PDB");
            }
        }
    }

    @Test
    void devIsSingleReplicaAndCpuOnly() throws Exception {
        RenderedManifests m = RenderedManifests.render("dev");
        for (var d : m.ofKind("Deployment")) {
            Deployment dep = (Deployment) d.typed();
            assertEquals(1, dep.getSpec().getReplicas(), d.name());
            Container c = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"), d.name() + " has no GPU in dev");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableAServiceReadsIsProvided(String overlay) throws Exception {
        RenderedManifests m = RenderedManifests.render(overlay);
        Set<String> provided = new TreeSet<>();
        provided.addAll(m.typed("ConfigMap", "nnunet-config", ConfigMap.class).getData().keySet());
        provided.addAll(m.typed("Secret", "nnunet-credentials", Secret.class).getStringData().keySet());
        for (String service : SERVICES) {
            Container c = m.typed("Deployment", service, Deployment.class).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            Set<String> available = new TreeSet<>(provided);
            if (c.getEnv() != null) {
                c.getEnv().forEach(v -> available.add(v.getName()));
            }
            Set<String> missing = new TreeSet<>(environmentVariablesRead(service));
            missing.removeAll(available);
            assertEquals(Set.of(), missing, overlay + " " + service + " reads variables its Deployment does not set");
        }
    }

    /**
     * Belt and braces behind the services' sweep of interrupted writes (TemporaryLeftoverSweeper, 6 h): the setup
     * Job gives the bucket a lifecycle rule expiring the temporary prefix (ObjectKeys.TEMP_MARKER + "/") after a
     * day, and MinIO aborts incomplete multipart uploads after 24 h (it ignores AbortIncompleteMultipartUpload).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void minioExpiresTemporaryLeftoversAfterADay(String overlay) throws Exception {
        RenderedManifests m = RenderedManifests.render(overlay);
        Container minio = m.typed("StatefulSet", "minio", StatefulSet.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertEquals("24h", env(minio, "MINIO_API_STALE_UPLOADS_EXPIRY"), "stale multipart uploads aborted");

        Container mc = m.typed("Job", "minio-setup", Job.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertTrue(String.join(" ", mc.getArgs()).contains(
                "printf '%s' \"$NNUNET_BUCKET_LIFECYCLE\" | mc ilm rule import \"local/$NNUNET_STORE_BUCKET\""),
                "the setup Job imports the lifecycle into the bucket: " + mc.getArgs());
        JsonNode rules = new ObjectMapper().readTree(env(mc, "NNUNET_BUCKET_LIFECYCLE")).path("Rules");
        assertEquals(1, rules.size(), rules.toString());
        JsonNode rule = rules.get(0);
        assertEquals("Enabled", rule.path("Status").asText());
        assertEquals(".nnunet-tmp/", rule.path("Filter").path("Prefix").asText(), "only the temporary prefix");
        assertEquals(1, rule.path("Expiration").path("Days").asInt());
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(v -> v.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not set " + name));
    }

    @Test
    void everyTopicAServiceUsesIsDeclared() throws Exception {
        Set<String> declared = topics(RenderedManifests.render("prod"));
        for (String service : SERVICES) {
            Set<String> used = new TreeSet<>(configuredTopics(service));
            used.removeAll(declared);
            assertEquals(Set.of(), used, service + " uses topics without a KafkaTopic");
        }
    }

    static Set<String> topics(RenderedManifests m) {
        return m.ofKind("KafkaTopic").stream().map(d -> ((KafkaTopic) d.typed()).getSpec().getTopicName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Properties applicationProperties(String service) throws IOException {
        Path file = RenderedManifests.repo().resolve(service).resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    /** Upper-case {@code ${NAME}} references in the prod (unprofiled) configuration are environment variables. */
    static Set<String> environmentVariablesRead(String service) throws IOException {
        Set<String> vars = new TreeSet<>();
        for (var e : applicationProperties(service).entrySet()) {
            if (e.getKey().toString().startsWith("%")) {
                continue;
            }
            Matcher matcher = ENV_REFERENCE.matcher(e.getValue().toString());
            while (matcher.find()) {
                vars.add(matcher.group(1));
            }
        }
        return vars;
    }

    static Set<String> configuredTopics(String service) throws IOException {
        Set<String> topics = new TreeSet<>();
        for (var e : applicationProperties(service).entrySet()) {
            String key = e.getKey().toString();
            if (!key.startsWith("%") && key.startsWith("mp.messaging.") && key.endsWith(".topic")) {
                topics.add(e.getValue().toString());
            }
        }
        return topics;
    }

    /** A field the model does not know lands in additionalProperties: a typo Kubernetes would reject or ignore. */
    static void unknownFields(Object o, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                unknownFields(x, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), problems, seen);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method method : o.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class || method.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown fields " + extra.keySet());
                }
                continue;
            }
            unknownFields(value, path + "." + method.getName().substring(3), problems, seen);
        }
    }
}
