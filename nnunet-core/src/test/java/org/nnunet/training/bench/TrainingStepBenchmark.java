package org.nnunet.training.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.network.GenericUNet;
import org.nnunet.network.TestEngine;
import org.nnunet.network.UNetArchitecture;
import org.nnunet.training.DeepSupervisionLoss;
import org.nnunet.training.DiceCELoss;
import org.nnunet.training.NesterovSgd;
import org.nnunet.training.TrainingStep;

import java.util.Arrays;

/**
 * Seconds per nnUNetTrainerV2 training iteration (forward with deep supervision, DC+CE, backward, clip, Nesterov
 * step) for the Hippocampus 3d_fullres plan: patch 40x56x40, 3x[2,2,2] pools, 1 modality, 3 classes.
 * Batch sizes from {@code -Dbench.batches} (default 2 and 7, Task04's planned batch; the spec's golden fingerprint
 * gives 9), iterations from {@code -Dbench.iterations} (default 3, after one warm-up).
 */
@Tag("benchmark")
class TrainingStepBenchmark {

    @Test
    @DisplayName("seconds per training iteration, Hippocampus 3d plan")
    void secondsPerIteration() {
        int[] batches = Arrays.stream(System.getProperty("bench.batches", "2,7").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int iterations = Integer.getInteger("bench.iterations", 3);
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%-6s %-18s %-12s %-12s %-14s %-12s%n", "batch", "input", "s/iter mean",
                "s/iter min", "CPU s/iter", "inference bs1"));
        try (NDManager model = TestEngine.newManager()) {
            int[][] pools = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
            int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
            GenericUNet net = new GenericUNet(UNetArchitecture.threeD(1, 3, pools, convs), true);
            net.initialize(model);
            for (int bs : batches) {
                try (NesterovSgd sgd = NesterovSgd.nnUNetV2(model); NDManager batch = model.newSubManager()) {
                    TrainingStep step = new TrainingStep(net,
                            new DeepSupervisionLoss(new DiceCELoss(false), pools.length), sgd, model);
                    Shape shape = new Shape(bs, 1, 40, 56, 40);
                    NDArray data = batch.randomNormal(0f, 1f, shape, DataType.FLOAT32);
                    NDArray seg = batch.randomInteger(0, 3, shape, DataType.FLOAT32);
                    step.train(data, seg);
                    double sum = 0;
                    double min = Double.MAX_VALUE;
                    long cpu0 = processCpuNanos();
                    for (int i = 0; i < iterations; i++) {
                        long t0 = System.nanoTime();
                        step.train(data, seg);
                        double s = (System.nanoTime() - t0) / 1e9;
                        sum += s;
                        min = Math.min(min, s);
                    }
                    double cpu = (processCpuNanos() - cpu0) / 1e9 / iterations;
                    double inference = inferenceSeconds(net, batch);
                    table.append(String.format("%-6d %-18s %-12.2f %-12.2f %-14.2f %-12.2f%n", bs,
                            bs + "x1x40x56x40", sum / iterations, min, cpu, inference));
                }
            }
            table.append(String.format("engine %s %s, threads: ai.djl.pytorch.num_threads=%s, cores %d%n",
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads"), Runtime.getRuntime().availableProcessors()));
        }
        System.out.println(table);
    }

    /** CPU time of the whole process: on a shared machine it says more than wall time (2 threads: ~2x wall). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double inferenceSeconds(GenericUNet net, NDManager batch) {
        net.setDeepSupervision(false);
        try (NDManager it = batch.newSubManager()) {
            NDArray x = it.randomNormal(new Shape(1, 1, 40, 56, 40));
            net.predict(x);
            long t0 = System.nanoTime();
            net.predict(x).singletonOrThrow().toFloatArray();
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            net.setDeepSupervision(true);
        }
    }
}
