package org.nnunet.training.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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

/**
 * What the speed of a Hippocampus 3d_fullres training iteration (patch 40x56x40, 3 pools) depends on, every figure a
 * ratio measured in this one run (variants interleaved round-robin so the shared machine's load falls on all):
 * intra-op threads 2 vs 1 on the whole step; forward + backward of the layers we build ourselves against their
 * alternatives (instance norm as batch norm on a [1, N*C, ...] view vs layer norm over the spatial axes; the
 * transposed conv as a channels-last matrix product vs a 1x1x1 convolution followed by the same interleave), with
 * a 3x3x3 convolution of the same size for scale; and the input copy ({@code create(float[])} vs a direct buffer).
 * <p>
 * Properties: {@code bench.batch} (default 2), {@code bench.rounds} (default 3). oneDNN use is seen by running with
 * the environment variable {@code DNNL_VERBOSE=1} (libtorch prints one line per oneDNN primitive it executes).
 */
@Tag("benchmark")
class TrainingSpeedBenchmark {

    @Test
    @DisplayName("training step speed: threads, instance norm and transposed conv variants, input copies")
    void variants() {
        int n = Integer.getInteger("bench.batch", 2);
        int rounds = Integer.getInteger("bench.rounds", 3);
        StringBuilder out = new StringBuilder();
        try (NDManager model = TestEngine.newManager()) {
            out.append(String.format("%nTraining speed benchmark, batch %d, %d cores, load average at start %.1f, "
                            + "engine %s %s, intra-op threads %d, inter-op %d, features %s%n", n,
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
                    JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), JniUtils.getFeatures()));
            int defaultThreads = JniUtils.getNumThreads();
            if (Boolean.parseBoolean(System.getProperty("bench.step", "true"))) {
                out.append(stepThreads(model, n, rounds, defaultThreads));
            }
            JniUtils.setNumThreads(defaultThreads);
            out.append(layers(model, n, rounds));
            out.append(inputCopies(model, n));
        }
        System.out.println(out);
    }

    private static String stepThreads(NDManager model, int n, int rounds, int defaultThreads) {
        int[][] pools = {{2, 2, 2}, {2, 2, 2}, {2, 2, 2}};
        int[][] convs = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
        GenericUNet net = new GenericUNet(UNetArchitecture.threeD(1, 3, pools, convs), true);
        net.initialize(model);
        Map<String, double[]> t = new LinkedHashMap<>();
        try (NesterovSgd sgd = NesterovSgd.nnUNetV2(model); NDManager batch = model.newSubManager()) {
            TrainingStep step = new TrainingStep(net, new DeepSupervisionLoss(new DiceCELoss(false), 3), sgd, model);
            Shape shape = new Shape(n, 1, 40, 56, 40);
            NDArray data = batch.randomNormal(0f, 1f, shape, DataType.FLOAT32);
            NDArray seg = batch.randomInteger(0, 3, shape, DataType.FLOAT32);
            step.train(data, seg);
            int[] threads = {defaultThreads, 1};
            for (int r = 0; r < rounds; r++) {
                for (int th : threads) {
                    JniUtils.setNumThreads(th);
                    long cpu = cpuNanos();
                    long w = System.nanoTime();
                    step.train(data, seg);
                    add(t, "step, intra-op threads " + th, (System.nanoTime() - w) / 1e9, (cpuNanos() - cpu) / 1e9);
                }
            }
        }
        return table("whole training step (forward + DC/CE + backward + clip + Nesterov), " + rounds + " rounds", t,
                "step, intra-op threads " + defaultThreads);
    }

    private static String layers(NDManager model, int n, int rounds) {
        Map<String, double[]> t = new LinkedHashMap<>();
        StringBuilder exact = new StringBuilder();
        try (NDManager m = model.newSubManager()) {
            NDArray x = m.randomNormal(0f, 1f, new Shape(n, 32, 40, 56, 40), DataType.FLOAT32);
            NDArray convW = m.randomNormal(0f, 0.05f, new Shape(32, 32, 3, 3, 3), DataType.FLOAT32);
            NDArray gamma = m.randomNormal(1f, 0.1f, new Shape(32), DataType.FLOAT32);
            NDArray beta = m.randomNormal(0f, 0.1f, new Shape(32), DataType.FLOAT32);
            NDArray low = m.randomNormal(0f, 1f, new Shape(n, 64, 20, 28, 20), DataType.FLOAT32);
            NDArray tuW = m.randomNormal(0f, 0.05f, new Shape(64, 32, 2, 2, 2), DataType.FLOAT32);
            for (NDArray p : new NDArray[] {x, convW, gamma, beta, low, tuW}) {
                p.setRequiresGradient(true);
            }
            Map<String, Function<NDManager, NDArray>> variants = new LinkedHashMap<>();
            variants.put("conv3d 32->32 k3 (scale)", it -> Conv3d.conv3d(x, convW, null, new Shape(1, 1, 1),
                    new Shape(1, 1, 1), new Shape(1, 1, 1), 1).singletonOrThrow());
            // channels-last-3d strides (a permuted view of an NDHWC array): DJL has no memory-format call, but
            // libtorch picks the memory format from the strides, and oneDNN then skips the blocked-layout reorders
            NDArray xLast = x.transpose(0, 2, 3, 4, 1).duplicate().transpose(0, 4, 1, 2, 3);
            NDArray wLast = convW.transpose(0, 2, 3, 4, 1).duplicate().transpose(0, 4, 1, 2, 3);
            xLast.setRequiresGradient(true);
            wLast.setRequiresGradient(true);
            variants.put("conv3d 32->32 k3, channels-last-3d strides", it -> Conv3d.conv3d(xLast, wLast, null,
                    new Shape(1, 1, 1), new Shape(1, 1, 1), new Shape(1, 1, 1), 1).singletonOrThrow());
            variants.put("instance norm: batchNorm on [1,N*C,...] (used)", it -> normBatchView(x, gamma, beta, it));
            variants.put("instance norm: layerNorm over spatial + affine", it -> normLayer(x, gamma, beta, it));
            variants.put("transposed conv 64->32 k2: matmul (used)", it -> tuMatmul(low, tuW));
            variants.put("transposed conv 64->32 k2: 1x1x1 conv + interleave", it -> tuConv(low, tuW));
            try (NDManager it = m.newSubManager()) {
                exact.append(String.format("max |conv channels-last - conv| = %.2e, ", maxAbsDiff(
                        Conv3d.conv3d(xLast, wLast, null, new Shape(1, 1, 1), new Shape(1, 1, 1), new Shape(1, 1, 1), 1)
                                .singletonOrThrow(),
                        Conv3d.conv3d(x, convW, null, new Shape(1, 1, 1), new Shape(1, 1, 1), new Shape(1, 1, 1), 1)
                                .singletonOrThrow())));
                exact.append(String.format("max |layerNorm - batchNorm view| = %.2e, max |conv1x1 - matmul| = %.2e%n",
                        maxAbsDiff(normLayer(x, gamma, beta, it), normBatchView(x, gamma, beta, it)),
                        maxAbsDiff(tuConv(low, tuW), tuMatmul(low, tuW))));
            }
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                for (Map.Entry<String, Function<NDManager, NDArray>> v : variants.entrySet()) {
                    try (NDManager it = m.newSubManager()) {
                        long cpu = cpuNanos();
                        long w = System.nanoTime();
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = v.getValue().apply(it);
                            gc.backward(y.mul(y).mean());
                        }
                        if (r >= 0) {
                            add(t, v.getKey(), (System.nanoTime() - w) / 1e9, (cpuNanos() - cpu) / 1e9);
                        }
                    }
                }
            }
        }
        return table("forward + backward of one layer at the full-resolution level (" + n + "x32x40x56x40)", t,
                "conv3d 32->32 k3 (scale)") + exact;
    }

    private static NDArray normBatchView(NDArray x, NDArray gamma, NDArray beta, NDManager it) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long[] view = s.getShape().clone();
        view[0] = 1;
        view[1] = n * c;
        NDArray rm = it.zeros(new Shape(n * c));
        NDArray rv = it.ones(new Shape(n * c));
        return BatchNorm.batchNorm(x.reshape(new Shape(view)), rm, rv, gamma.tile(n), beta.tile(n), 1, 0.1f, 1e-5f,
                true).singletonOrThrow().reshape(s);
    }

    private static NDArray normLayer(NDArray x, NDArray gamma, NDArray beta, NDManager it) {
        Shape s = x.getShape();
        Shape spatial = s.slice(2);
        NDArray y = LayerNorm.layerNorm(x, spatial, it.ones(spatial), it.zeros(spatial), 1e-5f).singletonOrThrow();
        Shape bc = new Shape(1, s.get(1), 1, 1, 1);
        return y.mul(gamma.reshape(bc)).add(beta.reshape(bc));
    }

    private static NDArray tuMatmul(NDArray x, NDArray w) {
        Shape in = x.getShape();
        long cin = in.get(1);
        long cout = w.getShape().get(1);
        NDArray y = x.transpose(0, 2, 3, 4, 1).reshape(-1, cin).matMul(w.reshape(cin, cout * 8));
        return y.reshape(in.get(0), in.get(2), in.get(3), in.get(4), cout, 2, 2, 2)
                .transpose(0, 4, 1, 5, 2, 6, 3, 7).reshape(in.get(0), cout, in.get(2) * 2, in.get(3) * 2, in.get(4) * 2);
    }

    private static NDArray tuConv(NDArray x, NDArray w) {
        Shape in = x.getShape();
        long cin = in.get(1);
        long cout = w.getShape().get(1);
        NDArray kernel = w.reshape(cin, cout * 8).transpose(1, 0).reshape(cout * 8, cin, 1, 1, 1);
        NDArray y = Conv3d.conv3d(x, kernel, null, new Shape(1, 1, 1), new Shape(0, 0, 0), new Shape(1, 1, 1), 1)
                .singletonOrThrow();
        return y.reshape(in.get(0), cout, 2, 2, 2, in.get(2), in.get(3), in.get(4))
                .transpose(0, 1, 5, 2, 6, 3, 7, 4).reshape(in.get(0), cout, in.get(2) * 2, in.get(3) * 2, in.get(4) * 2);
    }

    private static String inputCopies(NDManager model, int n) {
        int size = n * 40 * 56 * 40;
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = i % 7;
        }
        Shape shape = new Shape(n, 1, 40, 56, 40);
        // a direct ByteBuffer is handed to libtorch without DJL's intermediate copy (a FloatBuffer is copied)
        ByteBuffer direct = ByteBuffer.allocateDirect(size * 4).order(ByteOrder.nativeOrder());
        Map<String, double[]> t = new LinkedHashMap<>();
        for (int r = -1; r < 10; r++) {
            try (NDManager it = model.newSubManager()) {
                long w = System.nanoTime();
                it.create(values, shape);
                double heap = (System.nanoTime() - w) / 1e9;
                w = System.nanoTime();
                direct.clear();
                direct.asFloatBuffer().put(values);
                it.create(direct, shape, DataType.FLOAT32);
                double dir = (System.nanoTime() - w) / 1e9;
                if (r >= 0) {
                    add(t, "create(float[])", heap, Double.NaN);
                    add(t, "direct ByteBuffer, filled", dir, Double.NaN);
                }
            }
        }
        return table("one input tensor " + shape + " from Java", t, "create(float[])");
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    private static void add(Map<String, double[]> t, String key, double wall, double cpu) {
        double[] v = t.computeIfAbsent(key, k -> new double[3]);
        v[0] += wall;
        v[1] += cpu;
        v[2]++;
    }

    private static String table(String title, Map<String, double[]> t, String reference) {
        StringBuilder b = new StringBuilder(String.format("%n%s%n| variant | wall s | process CPU s | wall ratio to "
                + "first |%n|---|---|---|---|%n", title));
        double ref = t.get(reference)[0] / t.get(reference)[2];
        for (Map.Entry<String, double[]> e : t.entrySet()) {
            double[] v = e.getValue();
            b.append(String.format("| %s | %.4f | %.4f | %.3f |%n", e.getKey(), v[0] / v[2], v[1] / v[2],
                    v[0] / v[2] / ref));
        }
        return b.toString();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
