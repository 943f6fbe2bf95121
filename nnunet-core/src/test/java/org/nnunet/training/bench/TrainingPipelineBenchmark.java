package org.nnunet.training.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.augmentation.AugmentationPipeline;
import org.nnunet.augmentation.PatchBatch;
import org.nnunet.dataloading.BackgroundBatchGenerator;
import org.nnunet.dataloading.DataLoader;
import org.nnunet.dataloading.ForegroundOversampling;
import org.nnunet.dataloading.PreprocessedDataset;
import org.nnunet.network.TestEngine;
import org.nnunet.planning.Plans;
import org.nnunet.planning.PlansIO;
import org.nnunet.planning.StagePlan;
import org.nnunet.preprocessing.PreprocessedDataFolder;
import org.nnunet.training.TrainingSetup;

/**
 * Seconds per training iteration on the real preprocessed Hippocampus task (3d_fullres plan), two ways in one run:
 * (a) the bare step (forward with deep supervision, DC+CE, backward, clip, Nesterov) on one fixed batch, and
 * (b) the full pipeline as {@code NnUNetTrainerV2.trainEpoch} wires it: DataLoader + moreDA AugmentationPipeline on
 * two BackgroundBatchGenerator threads, a new batch per iteration. Blocks of (a) and (b) alternate so the load of
 * the shared machine falls on both. Also: the cost of one augmented batch on the calling thread, and VmRSS / VmHWM
 * from /proc/self/status every {@code bench.rssEvery} iterations of (b) (the leak series).
 * <p>
 * Properties: {@code bench.preprocessed} (read only; default /tmp/nn/pre/Task004_Hippocampus), {@code bench.batch}
 * (default: the plan's), {@code bench.blocks} x {@code bench.blockIterations} per variant, {@code bench.rssIterations}
 * (the (b) series, 0 to skip), {@code bench.rssEvery}.
 */
@Tag("benchmark")
class TrainingPipelineBenchmark {

    @Test
    @DisplayName("s/iteration: bare step vs DataLoader + moreDA on background threads (Hippocampus 3d_fullres)")
    void bareStepVersusPipeline() throws IOException {
        Path task = Path.of(System.getProperty("bench.preprocessed", "/tmp/nn/pre/Task004_Hippocampus"));
        Assumptions.assumeTrue(Files.isRegularFile(task.resolve(PlansIO.PLANS_3D)), "no preprocessed task at " + task);
        Plans plans = PlansIO.read(task.resolve(PlansIO.PLANS_3D));
        int stage = plans.stageIndexFor("3d_fullres");
        StagePlan sp = plans.stage(stage);
        int batch = Integer.getInteger("bench.batch", sp.batchSize());
        int blocks = Integer.getInteger("bench.blocks", 2);
        int blockIterations = Integer.getInteger("bench.blockIterations", 3);
        int rssIterations = Integer.getInteger("bench.rssIterations", 0);
        int rssEvery = Integer.getInteger("bench.rssEvery", 20);

        PreprocessedDataFolder folder = PreprocessedDataFolder.stage(task, plans.dataIdentifier(), stage);
        List<String> ids;
        try (var files = Files.list(folder.dir())) {
            ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        PreprocessedDataset data = PreprocessedDataset.open(folder, ids);
        AugmentationParameters aug = AugmentationParameters.nnUNetTrainerV2(sp.patchSize(), sp.doDummy2DDataAug(), null);

        StringBuilder out = new StringBuilder();
        out.append(String.format("%nTraining pipeline benchmark: %s, 3d_fullres patch %s, batch %d, generator patch %s, "
                        + "%d cases, %d cores, load average at start %.1f%n", task.getFileName(),
                Arrays.toString(sp.patchSize()), batch, Arrays.toString(aug.generatorPatchSize()), ids.size(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

        // cost of producing one batch on this thread (what the two workers must hide)
        DataLoader probeLoader = new DataLoader(data, aug.generatorPatchSize(), sp.patchSize(), batch,
                ForegroundOversampling.NNUNET_V2_PERCENT, 7);
        AugmentationPipeline probe = new AugmentationPipeline(aug, 7, false);
        PatchBatch fixed = probe.apply(probeLoader.nextBatch());
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        int probes = 3;
        for (int i = 0; i < probes; i++) {
            probe.apply(probeLoader.nextBatch());
        }
        double producer = (System.nanoTime() - t0) / 1e9 / probes;
        double producerCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9 / probes;

        try (NDManager model = TestEngine.newManager()) {
            TrainingSetup setup = TrainingSetup.forPlans(plans, "3d_fullres", model);
            setup.startEpoch(0);
            List<Supplier<PatchBatch>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                DataLoader loader = new DataLoader(data, aug.generatorPatchSize(), sp.patchSize(), batch,
                        ForegroundOversampling.NNUNET_V2_PERCENT, 100 + w);
                AugmentationPipeline pipeline = new AugmentationPipeline(aug, 200 + w, false);
                workers.add(() -> pipeline.apply(loader.nextBatch()));
            }
            double bare = 0;
            double full = 0;
            double bareCpu = 0;
            double fullCpu = 0;
            double wait = 0;
            int bareN = 0;
            int fullN = 0;
            try (BackgroundBatchGenerator batches = new BackgroundBatchGenerator(workers, 2, "bench-da")) {
                step(setup, model, fixed); // warm-up
                for (int b = 0; b < blocks; b++) {
                    for (int i = 0; i < blockIterations; i++) {
                        long s = System.nanoTime();
                        long c = processCpuNanos();
                        step(setup, model, fixed);
                        bare += (System.nanoTime() - s) / 1e9;
                        bareCpu += (processCpuNanos() - c) / 1e9;
                        bareN++;
                    }
                    for (int i = 0; i < blockIterations; i++) {
                        long s = System.nanoTime();
                        long c = processCpuNanos();
                        PatchBatch next = batches.next();
                        wait += (System.nanoTime() - s) / 1e9;
                        step(setup, model, next);
                        full += (System.nanoTime() - s) / 1e9;
                        fullCpu += (processCpuNanos() - c) / 1e9;
                        fullN++;
                    }
                }
                out.append(String.format("| variant | wall s / iteration | process CPU s / iteration | iterations |%n"
                        + "|---|---|---|---|%n"));
                out.append(String.format("| (a) bare step, fixed batch | %.2f | %.2f | %d |%n", bare / bareN,
                        bareCpu / bareN, bareN));
                out.append(String.format("| (b) DataLoader + moreDA, 2 background threads | %.2f | %.2f | %d |%n",
                        full / fullN, fullCpu / fullN, fullN));
                out.append(String.format("| (b) of which waiting for a batch | %.2f | | |%n", wait / fullN));
                out.append(String.format("| one batch loaded + augmented on one thread | %.2f | %.2f (thread) | %d |%n",
                        producer, producerCpu, probes));
                out.append(String.format("ratio (b)/(a): wall %.3f, CPU %.3f%n", full / fullN / (bare / bareN),
                        fullCpu / fullN / (bareCpu / bareN)));

                if (rssIterations > 0) {
                    out.append(String.format("%nRSS series, (b) at batch %d: iteration, VmRSS, VmHWM, RssAnon, RssFile (MB), s/it since last%n",
                            batch));
                    long last = System.nanoTime();
                    out.append(String.format("0 %s%n", rss()));
                    for (int i = 1; i <= rssIterations; i++) {
                        step(setup, model, batches.next());
                        if (i % rssEvery == 0) {
                            double perIt = (System.nanoTime() - last) / 1e9 / rssEvery;
                            last = System.nanoTime();
                            out.append(String.format("%d %s %.2f%n", i, rss(), perIt));
                            System.out.printf("rss %d %s%n", i, rss());
                        }
                    }
                }
            }
            setup.close();
        }
        System.out.println(out);
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void step(TrainingSetup setup, NDManager model, PatchBatch batch) {
        try (NDManager it = model.newSubManager()) {
            int channels = batch.samples().get(0).data().length;
            setup.step().train(tensor(it, batch.dataTensor(), batch, channels), tensor(it, batch.segTensor(), batch, 1));
        }
    }

    private static NDArray tensor(NDManager m, float[] values, PatchBatch batch, int channels) {
        int[] spatial = batch.shape();
        long[] shape = new long[spatial.length + 2];
        shape[0] = batch.size();
        shape[1] = channels;
        for (int i = 0; i < spatial.length; i++) {
            shape[i + 2] = spatial[i];
        }
        return m.create(values, new Shape(shape));
    }

    /** "VmRSS VmHWM RssAnon RssFile" in MB from /proc/self/status (RssFile: the memory-mapped cases touched so far). */
    static String rss() {
        try {
            Map<String, Long> kb = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    kb.put(line.substring(0, colon), Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
            return String.format("%d %d %d %d", kb.getOrDefault("VmRSS", 0L) / 1024, kb.getOrDefault("VmHWM", 0L) / 1024,
                    kb.getOrDefault("RssAnon", 0L) / 1024, kb.getOrDefault("RssFile", 0L) / 1024);
        } catch (IOException e) {
            return "n/a";
        }
    }
}
