package org.nnunet.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.optim.SGD(params, lr, momentum=0.99, nesterov=True, weight_decay=3e-5)} as nnUNetTrainerV2 uses it,
 * with torch's exact update per parameter:
 * {@code g += wd * p; buf = g (first step) or momentum * buf + g; g += momentum * buf; p -= lr * g}.
 * DJL's own SGD has no Nesterov and a different momentum rule, and DJL does not save optimizer state, so both live
 * here: the momentum buffers are keyed by parameter name and written by {@link #save}/{@link #load} (for {@code -c}).
 * Also here: torch's {@code clip_grad_norm_} and zeroing gradients (libtorch accumulates them across backward calls).
 */
public final class NesterovSgd implements AutoCloseable {

    public static final double MOMENTUM = 0.99;
    public static final double WEIGHT_DECAY = 3e-5;
    public static final double CLIP_NORM = 12;
    private static final String MAGIC = "nnunet-jvm NesterovSgd v1";

    private double momentum;
    private final double weightDecay;
    private final NDManager stateManager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private double lr;

    /**
     * @param parentManager manager the momentum buffers live under (the model's); they are freed by {@link #close}
     */
    public NesterovSgd(NDManager parentManager, double lr, double momentum, double weightDecay) {
        this.stateManager = parentManager.newSubManager();
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** lr 0.01, momentum 0.99, Nesterov, weight decay 3e-5 (nnUNetTrainerV2.initialize_optimizer_and_scheduler). */
    public static NesterovSgd nnUNetV2(NDManager parentManager) {
        return new NesterovSgd(parentManager, PolyLr.INITIAL_LR, MOMENTUM, WEIGHT_DECAY);
    }

    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    /** One SGD step over every parameter that requires a gradient. Gradients are read, not reset. */
    public void step(PairList<String, Parameter> parameters) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // in-place updates of leaves must not be recorded
        try (NDScope scope = new NDScope()) {
            for (Pair<String, Parameter> entry : parameters) {
                Parameter parameter = entry.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray p = parameter.getArray();
                // scalars as float32: a 0-d float64 operand would promote 0-d results, and torch applies Python
                // floats to float32 tensors in float32 too
                NDArray g = p.getGradient().add(p.mul((float) weightDecay));
                NDArray buf = buffers.get(entry.getKey());
                if (buf == null) {
                    buf = g.duplicate();
                    NDScope.unregister(buf);
                    buf.attach(stateManager);
                    buffers.put(entry.getKey(), buf);
                } else {
                    buf.muli((float) momentum).addi(g);
                }
                p.subi(g.add(buf.mul((float) momentum)).muli((float) lr));
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_(params, maxNorm)}: the L2 norm over all gradients together; if it exceeds
     * {@code maxNorm} every gradient is scaled by {@code maxNorm / (norm + 1e-6)}.
     *
     * @return the total norm before clipping
     */
    public static double clipGradNorm(PairList<String, Parameter> parameters, double maxNorm) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            for (Pair<String, Parameter> entry : parameters) {
                if (entry.getValue().requiresGradient()) {
                    double n = entry.getValue().getArray().getGradient().norm().toType(
                            ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                    sumSquares += n * n;
                }
            }
            double total = Math.sqrt(sumSquares);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Pair<String, Parameter> entry : parameters) {
                    if (entry.getValue().requiresGradient()) {
                        entry.getValue().getArray().getGradient().muli((float) coef);
                    }
                }
            }
            return total;
        }
    }

    /** Sets every gradient to zero (torch's {@code optimizer.zero_grad()}). */
    public static void zeroGradients(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> entry : parameters) {
            if (entry.getValue().requiresGradient()) {
                JniUtils.zeroGrad((PtNDArray) entry.getValue().getArray());
            }
        }
    }

    public double momentum() {
        return momentum;
    }

    /** nnUNetTrainerV2 lowers the momentum to 0.95 when training has not taken off by epoch 100. */
    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    /** Writes the momentum buffers (and lr, momentum, weight decay for checking) to {@code file}. */
    public void save(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
            out.writeUTF(MAGIC);
            out.writeDouble(lr);
            out.writeDouble(momentum);
            out.writeDouble(weightDecay);
            out.writeInt(buffers.size());
            for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] encoded = e.getValue().encode();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
    }

    /** Replaces the momentum buffers, the learning rate and the momentum by those saved in {@code file}. */
    public void load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(is)) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + ": not a NesterovSgd state file (header '" + magic + "')");
            }
            double savedLr = in.readDouble();
            double savedMomentum = in.readDouble();
            double savedWd = in.readDouble();
            if (savedWd != weightDecay) {
                throw new IOException(file + ": saved with weight decay " + savedWd + " but this optimizer has "
                        + weightDecay);
            }
            int n = in.readInt();
            Map<String, NDArray> loaded = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                byte[] encoded = new byte[in.readInt()];
                in.readFully(encoded);
                loaded.put(name, stateManager.decode(encoded));
            }
            buffers.values().forEach(NDArray::close);
            buffers.clear();
            buffers.putAll(loaded);
            lr = savedLr;
            momentum = savedMomentum;
        }
    }

    /** The momentum buffer of a parameter, or null before its first step. */
    public NDArray momentumBuffer(String parameterName) {
        return buffers.get(parameterName);
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
