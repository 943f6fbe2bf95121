package org.nnunet.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.cli.NnUNet;
import org.nnunet.inference.ModelPackage;
import org.nnunet.training.NnUNetTrainerV2;
import org.nnunet.training.TrainerSettings;

/**
 * {@code nnUNet_predict} on Hippocampus imagesTs cases with a 3d_fullres model: seconds per case and peak RSS, with
 * and without mirroring TTA, 1 fold and 5 folds, and the TTA's mirrored copies per forward pass (1 = v1, the
 * automatic 4, 8 = one batch as before). Every row is its own child JVM ({@code java -cp <test classpath>
 * org.nnunet.cli.NnUNet predict ...} under {@code /usr/bin/time}), so the RSS is that of one prediction run.
 *
 * <p>The model: {@code <bench.work>/results} if it holds a trained 3d_fullres fold 0 (e.g. from
 * {@code nnUNet_train 3d_fullres nnUNetTrainerV2 4 0 --epochs 1 --iterations 2}), else this benchmark converts and
 * preprocesses Hippocampus and trains fold 0 for 2 iterations itself (without the validation, which is not what is
 * measured). Weak weights cost the same to run as good ones. The 5-fold rows use fold 0's checkpoint copied into
 * fold_1..fold_4: the cost is what is measured, not the segmentation.
 *
 * <p>Run: {@code bench/run predict}, or {@code mvn -B -pl nnunet-cli -am test -Dgroups=benchmark
 * -DexcludedGroups=none -Dtest=PredictionBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dnnunet.shared.dir=/work/shared [-Dbench.work=DIR] [-Dbench.cases=3]}.
 */
@Tag("benchmark")
class PredictionBenchmark {

    private static final String TASK = "Task004_Hippocampus";
    private static final String MODEL = "nnUNet/3d_fullres/" + TASK + "/" + TrainerSettings.TRAINER_NAME + "__"
            + TrainerSettings.PLANS_IDENTIFIER;
    private static final Pattern PREDICTED = Pattern.compile("predicted \\S+ \\(\\d+/\\d+\\) in ([0-9.]+) s");

    private record Variant(String name, int folds, boolean tta, Integer mirrorBatch) {}

    @Test
    void table() throws Exception {
        Path shared = Path.of(System.getProperty("nnunet.shared.dir", "../shared"));
        Path decathlon = shared.resolve("data/Task04_Hippocampus");
        assumeTrue(Files.isDirectory(decathlon), decathlon + " not found (set -Dnnunet.shared.dir)");
        String given = System.getProperty("bench.work");
        Path work = given != null ? Path.of(given) : Files.createTempDirectory("nnunet-predict-bench");
        try {
            measure(work, decathlon, Integer.getInteger("bench.cases", 3));
        } finally {
            if (given == null) {
                deleteTree(work);
            }
        }
    }

    private static void measure(Path work, Path decathlon, int cases) throws Exception {
        Path results = work.resolve("results");
        Path fold0 = results.resolve(MODEL).resolve("fold_0");
        if (!Files.isRegularFile(fold0.resolve("model_final_checkpoint.model"))) {
            trainFold0(work, decathlon, fold0);
        }
        Path fiveFolds = work.resolve("results_5folds");
        for (int f = 0; f < 5; f++) {
            copyCheckpoint(fold0, fiveFolds.resolve(MODEL).resolve("fold_" + f));
        }
        Path input = work.resolve("bench_input");
        Files.createDirectories(input);
        try (Stream<Path> s = Files.list(work.resolve("raw/nnUNet_raw_data").resolve(TASK).resolve("imagesTs"))) {
            for (Path p : s.sorted().limit(cases).toList()) {
                Files.copy(p, input.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        List<Variant> variants = List.of(
                new Variant("1 fold, no TTA", 1, false, null),
                new Variant("1 fold, TTA (4 copies per pass, default)", 1, true, null),
                new Variant("5 folds, no TTA", 5, false, null),
                new Variant("5 folds, TTA (4 copies per pass, default)", 5, true, null),
                new Variant("1 fold, TTA, 1 copy per pass (v1)", 1, true, 1),
                new Variant("1 fold, TTA, 8 copies per pass (one batch)", 1, true, 8));
        List<String> rows = new ArrayList<>();
        for (Variant v : variants) {
            rows.add(run(v, work, v.folds() == 1 ? results : fiveFolds, input, cases));
        }
        System.out.printf("%nnnUNet_predict, Hippocampus 3d_fullres, %d imagesTs cases, %d cores%n", cases,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| variant | s per case | wall s (JVM + load + all cases) | CPU s | peak RSS MB | load avg |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String run(Variant v, Path work, Path results, Path input, int cases) throws Exception {
        Path out = work.resolve("bench_output");
        deleteTree(out);
        Path timeFile = work.resolve("bench_time");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o", timeFile.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true"));
        if (v.mirrorBatch() != null) {
            cmd.add("-Dnnunet.mirror_batch=" + v.mirrorBatch());
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NnUNet.class.getName(), "predict",
                "-i", input.toString(), "-o", out.toString(), "-t", "4", "-m", "3d_fullres", "-f"));
        for (int f = 0; f < v.folds(); f++) {
            cmd.add(Integer.toString(f));
        }
        if (!v.tta()) {
            cmd.add("--disable_tta");
        }
        cmd.addAll(List.of("--nnUNet_raw_data_base", work.resolve("raw").toString(),
                "--nnUNet_preprocessed", work.resolve("pre").toString(), "--RESULTS_FOLDER", results.toString()));
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        List<Double> perCase = new ArrayList<>();
        Matcher m = PREDICTED.matcher(log);
        while (m.find()) {
            perCase.add(Double.parseDouble(m.group(1)));
        }
        assertEquals(cases, perCase.size(), log);
        assertTrue(log.contains("using folds " + (v.folds() == 1 ? "[0]" : "[0, 1, 2, 3, 4]")), log);
        String[] t = Files.readString(timeFile).trim().split("\\s+");
        double mean = perCase.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return String.format("| %s | %.2f | %.1f | %.1f | %.0f | %s |", v.name(), mean, Double.parseDouble(t[0]),
                Double.parseDouble(t[2]) + Double.parseDouble(t[3]), Long.parseLong(t[1]) / 1024.0, load);
    }

    /** convert + plan_and_preprocess (3d only) + 2 training iterations of fold 0, no validation. */
    private static void trainFold0(Path work, Path decathlon, Path fold0) throws IOException {
        String[] paths = {"--nnUNet_raw_data_base", work.resolve("raw").toString(),
                "--nnUNet_preprocessed", work.resolve("pre").toString(),
                "--RESULTS_FOLDER", work.resolve("results").toString()};
        assertEquals(0, NnUNet.execute(concat(new String[] {"convert_decathlon_task", "-i", decathlon.toString(),
                "-p", "2", "--nnUNet_raw_data_base", work.resolve("raw").toString()})));
        assertEquals(0, NnUNet.execute(concat(new String[] {"plan_and_preprocess", "-t", "4", "-pl2d", "None",
                "-tl", "2", "-tf", "2"}, paths)));
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        TrainerSettings settings = new TrainerSettings("3d_fullres", 0, 1, 2, 1, 50, 2, 12345, "cpu", false);
        try (NnUNetTrainerV2 trainer = new NnUNetTrainerV2(settings, work.resolve("pre").resolve(TASK), fold0,
                System.out::println)) {
            trainer.train();
        }
    }

    private static String[] concat(String[] a, String[]... more) {
        List<String> all = new ArrayList<>(List.of(a));
        for (String[] m : more) {
            all.addAll(List.of(m));
        }
        return all.toArray(String[]::new);
    }

    private static void copyCheckpoint(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : ModelPackage.CHECKPOINT_FILES) {
            Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
