package org.nnunet.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's self-contained HTML report ({@code WORK_DIR/report.html}): settings and step timings, the plans,
 * each fold's training curves ({@code progress.png}), the Dice table (mean over the validation cases, per class, per
 * configuration and fold, plus the model-selection scores), and axial slices of predictions over their images. All
 * images are inlined as base64 PNG, so the file can be mailed or opened anywhere.
 */
public final class PipelineReport {

    /** One row of the Dice table: mean Dice per foreground class over the cases of {@code what}. */
    public record DiceRow(String configuration, String what, int cases, Map<Integer, Double> dicePerClass) {}

    /** An inlined picture with its caption. */
    public record Figure(String caption, String pngBase64) {}

    private final String title;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> steps = new LinkedHashMap<>();
    private final Map<Integer, String> classNames = new LinkedHashMap<>();
    private final List<String> plans = new ArrayList<>();
    private final List<Figure> curves = new ArrayList<>();
    private final List<DiceRow> dice = new ArrayList<>();
    private final List<Figure> overlays = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public PipelineReport(String title) {
        this.title = title;
    }

    public void setting(String key, String value) {
        settings.put(key, value);
    }

    public void step(String name, String outcome) {
        steps.put(name, outcome);
    }

    public void className(int label, String name) {
        classNames.put(label, name);
    }

    public void plans(String text) {
        plans.add(text);
    }

    public void trainingCurve(String caption, Path png) throws IOException {
        curves.add(new Figure(caption, Base64.getEncoder().encodeToString(Files.readAllBytes(png))));
    }

    public void dice(DiceRow row) {
        dice.add(row);
    }

    public List<DiceRow> diceRows() {
        return List.copyOf(dice);
    }

    public void overlay(Figure f) {
        overlays.add(f);
    }

    public void note(String text) {
        notes.add(text);
    }

    public void write(Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 8px;"
                        + "text-align:right}th{background:#eee}td.l,th.l{text-align:left}"
                        + "figure{display:inline-block;margin:6px}pre{background:#f6f6f6;padding:8px}</style>"
                        + "</head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        table(h, "Settings", settings);
        table(h, "Steps", steps);
        if (!notes.isEmpty()) {
            h.append("<h2>Notes</h2><ul>");
            notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Dice (mean over cases)</h2>\n");
        if (dice.isEmpty()) {
            h.append("<p>No evaluation.</p>\n");
        } else {
            List<Integer> classes = new ArrayList<>(classNames.keySet());
            h.append("<table id=\"dice\"><tr><th class=\"l\">configuration</th><th class=\"l\">evaluated</th>"
                    + "<th>cases</th>");
            classes.forEach(c -> h.append("<th>").append(c).append(": ").append(esc(classNames.get(c)))
                    .append("</th>"));
            h.append("<th>mean</th></tr>\n");
            for (DiceRow r : dice) {
                h.append("<tr><td class=\"l\">").append(esc(r.configuration())).append("</td><td class=\"l\">")
                        .append(esc(r.what())).append("</td><td>").append(r.cases()).append("</td>");
                double sum = 0;
                int n = 0;
                for (int c : classes) {
                    Double d = r.dicePerClass().get(c);
                    h.append("<td>").append(d == null ? "" : String.format("%.4f", d)).append("</td>");
                    if (d != null && !d.isNaN()) {
                        sum += d;
                        n++;
                    }
                }
                h.append("<td>").append(n == 0 ? "" : String.format("%.4f", sum / n)).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        figures(h, "Predictions (axial slices through the largest labelled area)", overlays);
        if (!overlays.isEmpty() && !classNames.isEmpty()) {
            h.append("<p>");
            classNames.forEach((c, n) -> h.append("<span style=\"background:").append(SliceOverlay.cssColor(c))
                    .append(";padding:2px 6px;margin-right:6px\">").append(c).append(": ").append(esc(n))
                    .append("</span>"));
            h.append("</p>\n");
        }
        figures(h, "Training curves", curves);
        h.append("<h2>Plans</h2>\n");
        plans.forEach(p -> h.append("<pre>").append(esc(p)).append("</pre>\n"));
        h.append("</body></html>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, h);
    }

    private static void table(StringBuilder h, String heading, Map<String, String> rows) {
        h.append("<h2>").append(heading).append("</h2><table>");
        rows.forEach((k, v) -> h.append("<tr><th class=\"l\">").append(esc(k)).append("</th><td class=\"l\">")
                .append(esc(v)).append("</td></tr>"));
        h.append("</table>\n");
    }

    private static void figures(StringBuilder h, String heading, List<Figure> figures) {
        h.append("<h2>").append(heading).append("</h2>\n");
        for (Figure f : figures) {
            h.append("<figure><img src=\"data:image/png;base64,").append(f.pngBase64()).append("\" alt=\"")
                    .append(esc(f.caption())).append("\"><figcaption>").append(esc(f.caption()))
                    .append("</figcaption></figure>\n");
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
