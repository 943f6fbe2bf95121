package org.nnunet.training.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnunet.planning.PlansIO;

/**
 * Resident memory over many training iterations (the leak series of issue 5), one child JVM per setting so each
 * starts from a clean process and gets its own glibc malloc environment: {@link TrainingMemoryProbe} runs the
 * Hippocampus 3d_fullres step and reports VmRSS, RssAnon, RssFile, the Java heap, CPU seconds and minor faults every
 * few iterations. Settings: defaults, a bounded Java heap, {@code MALLOC_ARENA_MAX}, a fixed
 * {@code MALLOC_MMAP_THRESHOLD_} (which also stops glibc's dynamic threshold) without and with malloc huge pages,
 * each on the full pipeline; defaults also on the bare step (no data loading). Results: docs/performance.md §2.
 * <p>
 * Properties: {@code bench.preprocessed} (default /tmp/nn/pre/Task004_Hippocampus), {@code bench.batch} (1),
 * {@code bench.iterations} (200), {@code bench.every} (20), {@code bench.settings} (comma-separated names, default
 * all), {@code bench.parallel} (run the children at the same time), {@code bench.logs} (folder for the child logs;
 * default a temporary one), {@code bench.xmx} (child heap for every setting; default none, as the launcher).
 */
@Tag("benchmark")
class TrainingMemoryBenchmark {

    private record Setting(String name, String mode, List<String> jvm, Map<String, String> env) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("default", "pipeline", List.of(), Map.of()),
            new Setting("bare-default", "bare", List.of(), Map.of()),
            new Setting("xmx1g", "pipeline", List.of("-Xmx1g"), Map.of()),
            new Setting("arena-2", "pipeline", List.of(), Map.of("MALLOC_ARENA_MAX", "2")),
            new Setting("mmap-threshold-128k", "pipeline", List.of(), Map.of("MALLOC_MMAP_THRESHOLD_", "131072")),
            new Setting("mmap-threshold-128k+hugetlb", "pipeline", List.of(),
                    Map.of("MALLOC_MMAP_THRESHOLD_", "131072", "GLIBC_TUNABLES", "glibc.malloc.hugetlb=1")));

    @Test
    @DisplayName("RSS over training iterations, one child JVM per glibc malloc setting (Hippocampus 3d_fullres)")
    void residentMemoryPerMallocSetting(@TempDir Path tmp) throws Exception {
        Path dir = Path.of(System.getProperty("bench.logs", tmp.toString()));
        Files.createDirectories(dir);
        Path task = Path.of(System.getProperty("bench.preprocessed", "/tmp/nn/pre/Task004_Hippocampus"));
        Assumptions.assumeTrue(Files.isRegularFile(task.resolve(PlansIO.PLANS_3D)), "no preprocessed task at " + task);
        int batch = Integer.getInteger("bench.batch", 1);
        int iterations = Integer.getInteger("bench.iterations", 200);
        int every = Integer.getInteger("bench.every", 20);
        List<String> wanted = Arrays.asList(System.getProperty("bench.settings",
                String.join(",", SETTINGS.stream().map(Setting::name).toList())).split(","));

        StringBuilder out = new StringBuilder(String.format(
                "%nTraining memory benchmark: batch %d, %d iterations, load average at start %.1f (MB, cumulative CPU s)%n",
                batch, iterations, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        // children run concurrently when bench.parallel is set: memory, not speed, is measured here
        boolean parallel = Boolean.getBoolean("bench.parallel");
        List<Setting> chosen = SETTINGS.stream().filter(s -> wanted.contains(s.name())).toList();
        Map<Setting, Process> started = new LinkedHashMap<>();
        for (Setting setting : chosen) {
            started.put(setting, start(setting, task, batch, iterations, every, dir));
            if (!parallel) {
                started.get(setting).waitFor();
            }
        }
        for (Setting setting : chosen) {
            List<String[]> samples = samples(setting, started.get(setting), dir);
            out.append(String.format("%n%s (%s, JVM %s, env %s), load average after %.1f%n| iteration | VmRSS | "
                            + "RssAnon | RssFile | heap committed | heap used | s / iteration | CPU user s | CPU sys s | minor faults |%n"
                            + "|---|---|---|---|---|---|---|---|---|---|%n",
                    setting.name(), setting.mode(), setting.jvm(), setting.env(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
            for (String[] s : samples) {
                out.append("| ").append(String.join(" | ", s)).append(" |\n");
            }
            if (samples.size() > 2) {
                // growth between the first sample after warm-up and the last, in MB per 100 iterations
                String[] first = samples.get(1);
                String[] last = samples.get(samples.size() - 1);
                double its = Double.parseDouble(last[0]) - Double.parseDouble(first[0]);
                out.append(String.format("growth per 100 iterations after iteration %s: VmRSS %+.0f MB, RssAnon %+.0f"
                                + " MB, heap committed %+.0f MB; per iteration: CPU %.2f s, of it in the kernel %.0f %%, "
                                + "%.0f minor faults%n", first[0],
                        100 * (Double.parseDouble(last[1]) - Double.parseDouble(first[1])) / its,
                        100 * (Double.parseDouble(last[2]) - Double.parseDouble(first[2])) / its,
                        100 * (Double.parseDouble(last[4]) - Double.parseDouble(first[4])) / its,
                        (cpu(last) - cpu(first)) / its,
                        100 * (Double.parseDouble(last[8]) - Double.parseDouble(first[8])) / (cpu(last) - cpu(first)),
                        (Double.parseDouble(last[9]) - Double.parseDouble(first[9])) / its));
            }
        }
        System.out.println(out);
    }

    private static double cpu(String[] sample) {
        return Double.parseDouble(sample[7]) + Double.parseDouble(sample[8]);
    }

    private static Process start(Setting setting, Path task, int batch, int iterations, int every, Path dir)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        String xmx = System.getProperty("bench.xmx");
        if (xmx != null) {
            command.add("-Xmx" + xmx);
        }
        command.addAll(setting.jvm());
        // the launcher's libtorch settings
        command.addAll(List.of("-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), TrainingMemoryProbe.class.getName(), task.toString(),
                setting.mode(), Integer.toString(batch), Integer.toString(iterations), Integer.toString(every)));
        Path log = dir.resolve(setting.name() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_") || k.equals("GLIBC_TUNABLES"));
        pb.environment().putAll(setting.env());
        return pb.start();
    }

    private static List<String[]> samples(Setting setting, Process p, Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve(setting.name() + ".log");
        if (!p.waitFor(3, TimeUnit.HOURS)) {
            p.destroyForcibly();
            throw new IllegalStateException(setting.name() + ": child JVM timed out; log " + Files.readString(log));
        }
        List<String[]> samples = Files.readAllLines(log).stream().filter(l -> l.startsWith("sample "))
                .map(l -> l.substring("sample ".length()).split(" ")).toList();
        if (p.exitValue() != 0 || samples.isEmpty()) {
            throw new IllegalStateException(setting.name() + ": child JVM exit " + p.exitValue() + "; log "
                    + Files.readString(log));
        }
        return samples;
    }
}
