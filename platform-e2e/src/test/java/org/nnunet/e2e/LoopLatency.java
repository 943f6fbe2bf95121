package org.nnunet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.nnunet.events.Topics;
import org.nnunet.service.testing.KafkaTopics;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The loop's latency by stage for one dataset version, from the events' Kafka timestamps (producer CreateTime, all
 * producers on this machine's clock), bracketed by the test's own clock at the upload and at the moment the
 * inference service first reported the version as served.
 */
final class LoopLatency {

    /** Stages in loop order; each is measured from the end of the one before. */
    static final List<String> STAGES = List.of("upload accepted -> DatasetVersionCreated (debounce + snapshot)",
            "-> PlansCreated (integrity, crop, fingerprint, plans)",
            "-> PreprocessingCompleted (all configurations)",
            "-> last FoldTrained (all configurations x folds)",
            "-> ModelPublished (model selection, postprocessing, package)",
            "-> served by inference-service (download, load, swap)");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Epoch milliseconds at the end of each stage (index 0 = upload accepted). */
    final long[] marks;
    final int foldsTrained;

    private LoopLatency(long[] marks, int foldsTrained) {
        this.marks = marks;
        this.foldsTrained = foldsTrained;
    }

    /** Reads this run's topics for {@code task}'s version {@code version}. */
    static LoopLatency of(Platform platform, String task, String version, long uploadMillis, long servedMillis)
            throws IOException {
        long created = last(platform, Topics.DATASET_VERSION_CREATED, task, version);
        long plans = last(platform, Topics.PLANS_CREATED, task, version);
        long preprocessed = last(platform, Topics.PREPROCESSING_COMPLETED, task, version);
        List<Long> folds = timestamps(platform, Topics.FOLD_TRAINED, task, version);
        long published = last(platform, Topics.MODEL_PUBLISHED, task, version);
        long trained = folds.stream().mapToLong(Long::longValue).max().orElseThrow();
        return new LoopLatency(new long[] {uploadMillis, created, plans, preprocessed, trained, published,
                servedMillis}, folds.size());
    }

    double seconds(int stage) {
        return (marks[stage + 1] - marks[stage]) / 1000.0;
    }

    double totalSeconds() {
        return (marks[marks.length - 1] - marks[0]) / 1000.0;
    }

    /** A table with one column per version. */
    static String table(Map<String, LoopLatency> byVersion) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-64s", "stage (seconds)"));
        byVersion.keySet().forEach(v -> b.append(String.format("%10s", v)));
        b.append('\n');
        for (int i = 0; i < STAGES.size(); i++) {
            b.append(String.format("%-64s", STAGES.get(i)));
            for (LoopLatency l : byVersion.values()) {
                b.append(String.format("%10.1f", l.seconds(i)));
            }
            b.append('\n');
        }
        b.append(String.format("%-64s", "total: upload -> served"));
        byVersion.values().forEach(l -> b.append(String.format("%10.1f", l.totalSeconds())));
        b.append('\n');
        return b.toString();
    }

    private static long last(Platform platform, String topic, String task, String version) throws IOException {
        OptionalLong t = timestamps(platform, topic, task, version).stream().mapToLong(Long::longValue).max();
        if (t.isEmpty()) {
            throw new IllegalStateException("no " + topic + " event for " + task + " " + version);
        }
        return t.getAsLong();
    }

    private static List<Long> timestamps(Platform platform, String topic, String task, String version)
            throws IOException {
        List<Long> found = new ArrayList<>();
        for (ConsumerRecord<String, String> r : readAll(platform.topic(topic))) {
            JsonNode event = JSON.readTree(r.value());
            if (task.equals(event.path("task").asText()) && version.equals(event.path("datasetVersion").asText())) {
                found.add(r.timestamp());
            }
        }
        return found;
    }

    /** Every record of the topic up to its current end. */
    static List<ConsumerRecord<String, String>> readAll(String topic) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTopics.bootstrap());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
