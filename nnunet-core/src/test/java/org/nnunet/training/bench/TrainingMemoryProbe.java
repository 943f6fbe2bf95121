package org.nnunet.training.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
 * Child-JVM main of {@link TrainingMemoryBenchmark}: trains the Hippocampus 3d_fullres network for a number of
 * iterations, either on one fixed batch ({@code bare}) or on DataLoader + moreDA batches from two background threads
 * ({@code pipeline}, as the trainer does), and prints one line per sample:
 * {@code sample ITERATION VmRSS RssAnon RssFile HEAP_COMMITTED HEAP_USED (MB) SECONDS_PER_ITERATION CPU_USER_S
 * CPU_SYS_S MINOR_FAULTS} (the last three cumulative, from /proc/self/stat: the kernel time and page faults are what
 * a malloc setting that maps and unmaps memory costs).
 * Arguments: preprocessed task folder, mode, batch size, iterations, sample every N iterations.
 */
public final class TrainingMemoryProbe {

    private TrainingMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path task = Path.of(args[0]);
        boolean pipeline = switch (args[1]) {
            case "pipeline" -> true;
            case "bare" -> false;
            default -> throw new IllegalArgumentException("mode must be bare or pipeline, not " + args[1]);
        };
        int batch = Integer.parseInt(args[2]);
        int iterations = Integer.parseInt(args[3]);
        int every = Integer.parseInt(args[4]);

        Plans plans = PlansIO.read(task.resolve(PlansIO.PLANS_3D));
        int stage = plans.stageIndexFor("3d_fullres");
        StagePlan sp = plans.stage(stage);
        PreprocessedDataFolder folder = PreprocessedDataFolder.stage(task, plans.dataIdentifier(), stage);
        List<String> ids;
        try (var files = Files.list(folder.dir())) {
            ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        PreprocessedDataset data = PreprocessedDataset.open(folder, ids);
        AugmentationParameters aug = AugmentationParameters.nnUNetTrainerV2(sp.patchSize(), sp.doDummy2DDataAug(), null);
        List<Supplier<PatchBatch>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            DataLoader loader = new DataLoader(data, aug.generatorPatchSize(), sp.patchSize(), batch,
                    ForegroundOversampling.NNUNET_V2_PERCENT, 100 + w);
            AugmentationPipeline augmentation = new AugmentationPipeline(aug, 200 + w, false);
            workers.add(() -> augmentation.apply(loader.nextBatch()));
        }
        PatchBatch fixed = workers.get(0).get();

        try (NDManager model = TestEngine.newManager();
                TrainingSetup setup = TrainingSetup.forPlans(plans, "3d_fullres", model);
                BackgroundBatchGenerator batches = pipeline ? new BackgroundBatchGenerator(workers, 2, "probe-da") : null) {
            setup.startEpoch(0);
            System.out.printf("sample 0 %s 0 %s%n", memory(), cpuAndFaults());
            long last = System.nanoTime();
            for (int i = 1; i <= iterations; i++) {
                TrainingPipelineBenchmark.step(setup, model, pipeline ? batches.next() : fixed);
                if (i % every == 0) {
                    double perIteration = (System.nanoTime() - last) / 1e9 / every;
                    last = System.nanoTime();
                    System.out.printf("sample %d %s %.2f %s%n", i, memory(), perIteration, cpuAndFaults());
                }
            }
        }
    }

    /** "user-s sys-s minflt" of this process from /proc/self/stat (fields 10, 14, 15; clock ticks of 10 ms). */
    private static String cpuAndFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the parenthesised command name, which may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return String.format("%.2f %.2f %s", Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0, f[7]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String memory() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Long> kb = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    kb.put(line.substring(0, colon), Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.format("%d %d %d %d %d", kb.get("VmRSS") >> 10, kb.get("RssAnon") >> 10, kb.get("RssFile") >> 10,
                heap.getCommitted() >> 20, heap.getUsed() >> 20);
    }
}
