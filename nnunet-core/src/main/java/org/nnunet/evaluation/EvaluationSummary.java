package org.nnunet.evaluation;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * v1.7.1 {@code aggregate_scores}: the per-case scores and their mean per label and metric (NaN-ignoring mean by
 * default, NaN when every case is NaN), written as {@code summary.json} with v1's structure
 * {@code {"name", "description", "timestamp", "task", "author", "results": {"all": [...], "mean": {...}}, "id"}}
 * and sorted keys (batchgenerators {@code save_json}). NaN is written as a bare {@code NaN} like Python's json.
 * The id is the first 12 hex digits of the MD5 of our own serialisation (v1 hashes Python's {@code json.dumps}).
 */
public record EvaluationSummary(List<CaseScores> all, Map<String, Map<String, Double>> mean) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public EvaluationSummary {
        all = List.copyOf(all);
    }

    public static EvaluationSummary aggregate(List<CaseScores> cases, boolean nanmean) {
        Map<String, Map<String, List<Double>>> collected = new LinkedHashMap<>();
        for (CaseScores c : cases) {
            for (Map.Entry<String, Map<String, Number>> label : c.perLabel().entrySet()) {
                Map<String, List<Double>> m = collected.computeIfAbsent(label.getKey(), k -> new LinkedHashMap<>());
                for (Map.Entry<String, Number> score : label.getValue().entrySet()) {
                    m.computeIfAbsent(score.getKey(), k -> new ArrayList<>()).add(score.getValue().doubleValue());
                }
            }
        }
        Map<String, Map<String, Double>> mean = new LinkedHashMap<>();
        collected.forEach((label, scores) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            scores.forEach((k, v) -> m.put(k, mean(v, nanmean)));
            mean.put(label, m);
        });
        return new EvaluationSummary(cases, mean);
    }

    private static double mean(List<Double> values, boolean nanmean) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (nanmean && Double.isNaN(v)) {
                continue;
            }
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean Dice of one label over the cases (v1 {@code ['results']['mean'][str(label)]['Dice']}). */
    public double meanDice(int label) {
        Map<String, Double> m = mean.get(String.valueOf(label));
        if (m == null) {
            throw new IllegalArgumentException("label " + label + " not in the summary");
        }
        return m.get(Metric.DICE.key);
    }

    /** Writes {@code summary.json}; {@code task}/{@code name} as v1's {@code json_task}/{@code json_name}. */
    public void write(Path file, String name, String description, String task, String author) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("description", description);
        root.put("timestamp", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")));
        root.put("task", task);
        root.put("author", author);
        List<Map<String, Object>> allJson = new ArrayList<>();
        for (CaseScores c : all) {
            Map<String, Object> m = new LinkedHashMap<>(c.perLabel());
            if (c.test() != null) {
                m.put("test", c.test());
            }
            if (c.reference() != null) {
                m.put("reference", c.reference());
            }
            allJson.add(m);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("all", allJson);
        results.put("mean", mean);
        root.put("results", results);
        root.put("id", md5Prefix(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a v1 (or our) {@code summary.json}: the per-case label scores and the means. */
    public static EvaluationSummary read(Path file) throws IOException {
        JsonNode results;
        try {
            results = JSON.readTree(file.toFile()).get("results");
        } catch (IOException e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        if (results == null || !results.has("all") || !results.has("mean")) {
            throw new IOException(file + " has no results.all / results.mean: not an nnU-Net summary.json");
        }
        List<CaseScores> cases = new ArrayList<>();
        for (JsonNode c : results.get("all")) {
            Map<String, Map<String, Number>> perLabel = new LinkedHashMap<>();
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (c.get(key).isObject()) {
                    Map<String, Number> m = new LinkedHashMap<>();
                    c.get(key).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().numberValue()));
                    perLabel.put(key, m);
                }
            }
            cases.add(new CaseScores(perLabel, text(c.get("test")), text(c.get("reference"))));
        }
        Map<String, Map<String, Double>> mean = new LinkedHashMap<>();
        results.get("mean").fields().forEachRemaining(label -> {
            Map<String, Double> m = new LinkedHashMap<>();
            label.getValue().fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
            mean.put(label.getKey(), m);
        });
        return new EvaluationSummary(cases, mean);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String md5Prefix(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
