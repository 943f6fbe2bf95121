package org.nnunet.preprocessing.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.preprocessing.Resampler;
import org.nnunet.preprocessing.SeparateZ;

/**
 * Resampling throughput and a big-volume preprocessing run (ch2 + aal at 0.7 mm, in a child JVM for its peak RSS).
 * Run: {@code mvn -pl nnunet-core -am test -Dgroups=benchmark -DexcludedGroups=none -Dtest=PreprocessingBenchmark}.
 */
@Tag("benchmark")
class PreprocessingBenchmark {

    @Test
    void resamplingThroughput() {
        Random rnd = new Random(1);
        int[] shape = {128, 128, 128};
        float[] img = new float[128 * 128 * 128];
        float[] seg = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rnd.nextGaussian();
            seg[i] = (i / 5000) % 4 - 1;
        }
        System.out.println("| operation | input | output | wall s | process CPU s | Mvoxel out/s (wall) |");
        System.out.println("|---|---|---|---|---|---|");
        int[][] targets = {{183, 183, 183}, {91, 91, 91}, {128, 200, 200}};
        for (int[] t : targets) {
            run("resize order 3", () -> Resampler.resize(img, shape, t, 3), shape, t);
            run("resize order 1", () -> Resampler.resize(img, shape, t, 1), shape, t);
            run("resize_segmentation (4 labels)", () -> Resampler.resizeSegmentation(seg, shape, t, 1), shape, t);
        }
        int[] aniso = {40, 256, 256};
        float[] a = new float[40 * 256 * 256];
        int[] t = {100, 320, 320};
        run("separate z data (order 3 in plane, 0 in z)",
                () -> Resampler.resampleDataOrSeg(a, aniso, t, false, 3, new SeparateZ(true, 0), 0), aniso, t);
    }

    private static void run(String what, Runnable r, int[] in, int[] out) {
        r.run(); // warm-up
        int reps = 3;
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        double cpu = (cpuNanos() - c0) / 1e9 / reps;
        double mv = (double) out[0] * out[1] * out[2] / 1e6;
        System.out.printf("| %s | %s | %s | %.3f | %.3f | %.1f |%n", what, java.util.Arrays.toString(in),
                java.util.Arrays.toString(out), s, cpu, mv / s);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** nnUNet_plan_and_preprocess on the whole Task04_Hippocampus (crop, fingerprint, 3D + 2D plans, preprocess). */
    @Test
    void hippocampusPlanAndPreprocess(@TempDir Path dir) throws Exception {
        Path task = Path.of(System.getProperty("nnunet.shared.dir", "../shared"), "data", "Task04_Hippocampus");
        assumeTrue(Files.isRegularFile(task.resolve("dataset.json")), "no Hippocampus data at " + task);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(task.resolve("dataset.json").toFile());
        List<org.nnunet.cropping.RawCase> cases = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode t : json.get("training")) {
            Path image = task.resolve(t.get("image").asText()).normalize();
            String name = image.getFileName().toString();
            cases.add(new org.nnunet.cropping.RawCase(name.substring(0, name.length() - 7), List.of(image),
                    task.resolve(t.get("label").asText()).normalize()));
        }
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        json.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        int threads = 2;
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        new org.nnunet.planning.PlanAndPreprocess(cases, task.resolve("dataset.json"), labels,
                java.util.Map.of(0, "MRI"), dir.resolve("cropped"), dir.resolve("preprocessed"), threads, threads,
                true, true).run(new org.nnunet.preprocessing.PlansPreprocessing(), s -> { });
        System.out.printf("Hippocampus plan_and_preprocess (%d cases, %d threads): wall %.1f s, process CPU %.1f s%n",
                cases.size(), threads, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
    }

    @Test
    void ch2WithAalAt07mm(@TempDir Path dir) throws Exception {
        Path templates = Path.of("/usr/share/mricron/templates");
        assumeTrue(Files.isRegularFile(templates.resolve("ch2.nii.gz")), "mricron-data not installed");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx3g", "-cp", System.getProperty("java.class.path"),
                Ch2PreprocessMain.class.getName(), templates.toString(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        boolean done = p.waitFor(600, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("child.log"));
        System.out.println("ch2 + aal, 3d_fullres at 0.7 mm (child JVM -Xmx3g):\n" + log);
        assumeTrue(done, "timed out");
        assertEquals(0, p.exitValue(), log);
    }
}
