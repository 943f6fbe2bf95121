package org.nnunet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationSummaryTest {

    @Test
    @DisplayName("aggregate_scores json: v1 structure, bare NaN, readable by Python json and by us")
    void writesV1Structure(@TempDir Path dir) throws IOException, InterruptedException {
        Evaluator ev = new Evaluator(Evaluator.Options.v1Defaults());
        CaseScores a = ev.evaluate(MetricsTest.line(MetricsTest.TEST), MetricsTest.line(MetricsTest.REF),
                List.of(1, 2, 3), "pred/a.nii.gz", "ref/a.nii.gz");
        EvaluationSummary s = EvaluationSummary.aggregate(List.of(a), true);
        Path file = dir.resolve("summary.json");
        s.write(file, "n", "d", "Task004_Hippocampus", "nnunet-jvm");
        String text = Files.readString(file);
        assertTrue(text.contains("NaN") && !text.contains("\"NaN\""), text);

        EvaluationSummary back = EvaluationSummary.read(file);
        assertEquals(0.75, back.meanDice(1), 1e-15);
        assertTrue(Double.isNaN(back.meanDice(3)));
        assertEquals("pred/a.nii.gz", back.all().get(0).test());
        assertEquals(2.0 / 3, back.all().get(0).dice(2), 1e-15);

        String python = System.getProperty("nnunet.python", "/usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of(python)));
        String script = "import json; d = json.load(open('" + file + "')); r = d['results'];"
                + "print(d['task'], r['mean']['1']['Dice'], r['all'][0]['2']['Total Positives Test'],"
                + " r['all'][0]['reference'], sorted(d.keys()))";
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("Task004_Hippocampus 0.75 1 ref/a.nii.gz "
                + "['author', 'description', 'id', 'name', 'results', 'task', 'timestamp']", out);
    }
}
