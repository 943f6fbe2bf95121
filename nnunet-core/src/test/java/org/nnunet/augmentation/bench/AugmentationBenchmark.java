package org.nnunet.augmentation.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.augmentation.AugmentationParameters;
import org.nnunet.augmentation.AugmentationPipeline;
import org.nnunet.augmentation.PatchBatch;
import org.nnunet.augmentation.Sample;
import org.nnunet.augmentation.SpatialTransform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Cost of nnU-Net v1 moreDA on Hippocampus-sized batches: 9 samples, 1 channel, enlarged 73x80x64 input -> 40x56x40.
 * Run: mvn -pl nnunet-core -am test -Dtest=AugmentationBenchmark -Dgroups=benchmark -DexcludedGroups=none
 */
@Tag("benchmark")
class AugmentationBenchmark {

    private static final int BATCH = 9;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 20;

    @Test
    void hippocampusBatch() {
        AugmentationParameters p = AugmentationParameters.nnUNetTrainerV2(new int[]{40, 56, 40}, false,
                new boolean[]{false});
        PatchBatch input = batch(p.generatorPatchSize(), new SplittableRandom(1));
        AugmentationPipeline sequential = new AugmentationPipeline(p, 1, false);
        AugmentationPipeline parallel = new AugmentationPipeline(p, 1, true);
        SpatialTransform spatial = new SpatialTransform(p.patchSize(), p.rotationX(), p.rotationY(), p.rotationZ(),
                1.0, 1.0, p.scaleRange(), 1.0, 3, 0, 1, -1);
        SplittableRandom rng = new SplittableRandom(2);

        double[] seq = time(() -> sequential.apply(input));
        double[] par = time(() -> parallel.apply(input));
        double[] worst = time(() -> {
            for (Sample s : input.samples()) {
                spatial.apply(s, rng);
            }
        });
        double[] crop = time(() -> {
            for (Sample s : input.samples()) {
                spatial.resample(s, 0, 0, 0, 1);
            }
        });
        assertArrayEquals(new int[]{40, 56, 40}, sequential.apply(input).shape());

        System.out.printf("%nAugmentation benchmark (%d cores), batch %d x 1 x %s -> 40x56x40%n",
                Runtime.getRuntime().availableProcessors(), BATCH,
                java.util.Arrays.toString(p.generatorPatchSize()));
        System.out.printf("load average at start: %.1f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| case | wall ms / batch | wall ms / patch | thread CPU ms / patch |");
        System.out.println("|---|---|---|---|");
        row("moreDA pipeline, sequential", seq);
        row("moreDA pipeline, samples in parallel (CPU: caller only)", par);
        row("spatial only, rotation+scale always (worst case)", worst);
        row("spatial resample at identity (interpolation cost)", crop);
    }

    private static void row(String name, double[] t) {
        System.out.printf("| %s | %.1f | %.1f | %.1f |%n", name, t[0], t[0] / BATCH, t[1] / BATCH);
    }

    /** @return {wall ms, calling-thread CPU ms} per call */
    private static double[] time(Runnable r) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            r.run();
        }
        double wall = (System.nanoTime() - t0) / 1e6 / ROUNDS;
        double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / ROUNDS;
        return new double[]{wall, cpu};
    }

    private static PatchBatch batch(int[] shape, SplittableRandom rng) {
        List<Sample> samples = new ArrayList<>();
        int n = shape[0] * shape[1] * shape[2];
        for (int b = 0; b < BATCH; b++) {
            float[] data = new float[n];
            float[] seg = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = (float) rng.nextGaussian();
                seg[i] = rng.nextInt(4) - 1;
            }
            samples.add(new Sample(new float[][]{data}, new float[][]{seg}, shape));
        }
        return new PatchBatch(samples);
    }
}
