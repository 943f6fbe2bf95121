package org.nnunet.postprocessing;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code postprocessing.json} of v1.7.1 {@code determine_postprocessing}: the regions to reduce to their largest
 * component ({@code for_which_classes}), {@code min_valid_object_sizes} (a Python literal string; "None" unless v1's
 * advanced mode was used, then e.g. "{(1, 2): 25089.0, 2: 8.0}"), and the Dice values behind the decision.
 * Keys are written sorted like batchgenerators {@code save_json}; NaN as a bare {@code NaN}.
 */
public record PostprocessingPlan(List<Region> forWhichClasses, Map<Region, Double> minValidObjectSizes,
                                 Map<String, Double> dcPerClassRaw, Map<String, Double> dcPerClassPpAll,
                                 Map<String, Double> dcPerClassPpPerClass, int numSamples, String validationRaw,
                                 String validationFinal) {

    public static final String FILE_NAME = "postprocessing.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final Pattern DICT_ENTRY = Pattern.compile("(\\(([0-9,\\s]*)\\)|[0-9]+)\\s*:\\s*([-+0-9.eE]+)");

    public PostprocessingPlan {
        forWhichClasses = List.copyOf(forWhichClasses);
    }

    /** A plan that only applies postprocessing (no Dice bookkeeping). */
    public static PostprocessingPlan of(List<Region> regions) {
        return new PostprocessingPlan(regions, null, Map.of(), Map.of(), Map.of(), 0, "", "");
    }

    public void write(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> fwc = new ArrayList<>();
        for (Region r : forWhichClasses) {
            fwc.add(r.joint() ? r.classes() : r.classes().get(0));
        }
        root.put("for_which_classes", fwc);
        root.put("min_valid_object_sizes", pythonLiteral(minValidObjectSizes));
        root.put("dc_per_class_raw", dcPerClassRaw);
        root.put("dc_per_class_pp_all", dcPerClassPpAll);
        root.put("dc_per_class_pp_per_class", dcPerClassPpPerClass);
        root.put("num_samples", numSamples);
        root.put("validation_raw", validationRaw);
        root.put("validation_final", validationFinal);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a v1 or our {@code postprocessing.json} (v1 {@code load_postprocessing} plus the Dice fields). */
    public static PostprocessingPlan read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        JsonNode fwc = root.get("for_which_classes");
        if (fwc == null || !fwc.isArray()) {
            throw new IOException(file + ": for_which_classes missing or not a list");
        }
        List<Region> regions = new ArrayList<>();
        for (JsonNode r : fwc) {
            if (r.isArray()) {
                List<Integer> cs = new ArrayList<>();
                r.forEach(c -> cs.add(c.asInt()));
                regions.add(Region.joint(cs));
            } else if (r.isInt()) {
                regions.add(Region.single(r.asInt()));
            } else {
                throw new IOException(file + ": for_which_classes entry " + r + " is neither a class nor a list");
            }
        }
        Map<Region, Double> minSizes = null;
        JsonNode mv = root.get("min_valid_object_sizes");
        if (mv != null && !mv.isNull() && !"None".equals(mv.asText())) {
            minSizes = parsePythonDict(mv.asText(), file);
        }
        return new PostprocessingPlan(regions, minSizes, doubles(root.get("dc_per_class_raw")),
                doubles(root.get("dc_per_class_pp_all")), doubles(root.get("dc_per_class_pp_per_class")),
                root.path("num_samples").asInt(0), root.path("validation_raw").asText(""),
                root.path("validation_final").asText(""));
    }

    private static Map<String, Double> doubles(JsonNode n) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
        }
        return m;
    }

    /** Python {@code str(dict)} of the sizes: tuple keys for joint regions, int keys for single classes. */
    static String pythonLiteral(Map<Region, Double> sizes) {
        if (sizes == null) {
            return "None";
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        sizes.forEach((r, v) -> {
            String key;
            if (r.joint()) {
                StringJoiner t = new StringJoiner(", ", "(", r.classes().size() == 1 ? ",)" : ")");
                r.classes().forEach(c -> t.add(String.valueOf(c)));
                key = t.toString();
            } else {
                key = String.valueOf(r.classes().get(0));
            }
            j.add(key + ": " + pythonFloat(v));
        });
        return j.toString();
    }

    private static String pythonFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return (long) v + ".0";
        }
        return Double.toString(v).replace("E", "e");
    }

    static Map<Region, Double> parsePythonDict(String s, Path file) throws IOException {
        String body = s.trim();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new IOException(file + ": min_valid_object_sizes '" + s + "' is neither None nor a dict");
        }
        Map<Region, Double> m = new LinkedHashMap<>();
        Matcher matcher = DICT_ENTRY.matcher(body);
        while (matcher.find()) {
            Region r;
            if (matcher.group(2) != null) {
                List<Integer> cs = new ArrayList<>();
                for (String part : matcher.group(2).split(",")) {
                    if (!part.isBlank()) {
                        cs.add(Integer.parseInt(part.trim()));
                    }
                }
                r = Region.joint(cs);
            } else {
                r = Region.single(Integer.parseInt(matcher.group(1)));
            }
            m.put(r, Double.parseDouble(matcher.group(3)));
        }
        return m;
    }
}
