package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import ai.djl.MalformedModelException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net v1's {@code Generic_UNet} as nnUNetTrainerV2.initialize_network builds it (2d or 3d, any number of pools,
 * anisotropic kernels): convolutional pooling (the first conv of stage d > 0 has stride {@code pool[d-1]}, the
 * bottleneck's first conv stride {@code pool[-1]}), transposed-conv upsampling (kernel = stride, no bias),
 * skip connections by concatenation, one 1x1 segmentation head without bias per decoder level.
 * <p>
 * Decoder level u (0 = deepest) uses conv kernel {@code convKernels[numPools - u]}, exactly as v1 indexes
 * {@code conv_kernel_sizes[-(u + 1)]}: the first decoder level reuses the bottleneck's kernel, so on anisotropic
 * plans a decoder level can have a different kernel than the encoder stage it is skip-connected to.
 * <p>
 * Input {@code [N, C, (D,) H, W]}; output: logits (no softmax, v1's final_nonlin is the identity during training).
 * With deep supervision the list holds {@code numPools} outputs, full resolution first, then each coarser level
 * (v1's {@code [seg_outputs[-1]] + seg_outputs[:-1][::-1]}); without it only the full-resolution output.
 */
public final class GenericUNet extends AbstractBlock {

    private final UNetArchitecture arch;
    private final List<Block> context = new ArrayList<>();
    private final List<TransposedConv> upsampling = new ArrayList<>();
    private final List<Block> localization = new ArrayList<>();
    private final List<ConvLayer> segOutputs = new ArrayList<>();
    private boolean deepSupervision;

    public GenericUNet(UNetArchitecture arch, boolean deepSupervision) {
        this.arch = arch;
        this.deepSupervision = deepSupervision;
        int pools = arch.numPools();
        int[][] poolK = arch.poolKernels();
        int[][] convK = arch.convKernels();
        int dims = arch.spatialDims();
        int[] unit = ConvLayer.ones(dims);

        int in = arch.inputChannels();
        for (int d = 0; d < pools; d++) {
            int out = arch.features(d);
            int[] firstStride = d == 0 ? unit : poolK[d - 1];
            context.add(addChildBlock("context" + d, stage(in, out, convK[d], firstStride)));
            in = out;
        }
        int bottleneck = arch.features(pools);
        context.add(addChildBlock("context" + pools, stage(in, bottleneck, convK[pools], poolK[pools - 1])));

        int fromDown = bottleneck;
        for (int u = 0; u < pools; u++) {
            int skip = arch.features(pools - 1 - u);
            upsampling.add(addChildBlock("tu" + u, new TransposedConv(fromDown, skip, poolK[pools - 1 - u])));
            localization.add(addChildBlock("localization" + u, stage(2 * skip, skip, convK[pools - u], unit)));
            segOutputs.add(addChildBlock("seg_outputs" + u, new ConvLayer(skip, arch.numClasses(), unit, unit, false)));
            fromDown = skip;
        }
    }

    private static SequentialBlock stage(int in, int out, int[] kernel, int[] firstStride) {
        return new SequentialBlock()
                .add(new ConvNormNonlin(in, out, kernel, firstStride))
                .add(new ConvNormNonlin(out, out, kernel, ConvLayer.ones(kernel.length)));
    }

    public UNetArchitecture architecture() {
        return arch;
    }

    public boolean deepSupervision() {
        return deepSupervision;
    }

    /** v1's {@code network.do_ds}: on for training, off for validation and inference. */
    public void setDeepSupervision(boolean deepSupervision) {
        this.deepSupervision = deepSupervision;
    }

    /** Initialises all parameters (He normal weights, zero biases, unit/zero norm affine) in {@code manager}. */
    public void initialize(NDManager manager) {
        long[] shape = new long[arch.spatialDims() + 2];
        shape[0] = 1;
        shape[1] = arch.inputChannels();
        int[] div = arch.inputDivisibleBy();
        for (int i = 0; i < div.length; i++) {
            shape[2 + i] = div[i];
        }
        initialize(manager, DataType.FLOAT32, new Shape(shape));
    }

    /** Writes all parameters in DJL's format (bit-identical round trip) to {@code file}. */
    public void saveParameters(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
            saveParameters(out);
        }
    }

    /** Reads parameters written by {@link #saveParameters(Path)} for the same architecture into {@code manager}. */
    public void loadParameters(Path file, NDManager manager) throws IOException {
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(is)) {
            loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(file + ": not parameters of " + arch + " (" + e.getMessage() + ")", e);
        }
        // DJL's Parameter.load does not restore gradient tracking; training after -c needs it
        for (Parameter p : getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    /** Draws all weights again ({@code network.apply(InitWeights_He(1e-2))} on a trained network). */
    public void reinitialize(NDManager manager) {
        getParameters().values().forEach(Parameter::close);
        initialize(manager);
    }

    /** Number of scalar parameters, PyTorch's {@code sum(p.numel() for p in network.parameters())}. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : getParameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /** Forward pass with a fresh parameter store (no copies; arrays stay on the parameters' device). */
    public NDList forward(NDArray input, boolean training) {
        return forward(new ParameterStore(input.getManager(), false), new NDList(input), training);
    }

    /** Inference: forward in evaluation mode without recording gradients (outputs as {@link #deepSupervision()}). */
    public NDList predict(NDArray input) {
        return NoGrad.run(() -> forward(input, false));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        int pools = arch.numPools();
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        List<NDArray> skips = new ArrayList<>();
        for (int d = 0; d < pools; d++) {
            x = context.get(d).forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
        }
        x = context.get(pools).forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray[] seg = new NDArray[pools];
        for (int u = 0; u < pools; u++) {
            NDArray up = upsampling.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
            x = up.concat(skips.get(pools - 1 - u), 1);
            x = localization.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
            if (deepSupervision || u == pools - 1) {
                seg[u] = segOutputs.get(u).forward(ps, new NDList(x), training).singletonOrThrow();
            }
        }
        NDList out = new NDList();
        out.add(seg[pools - 1]);
        if (deepSupervision) {
            for (int u = pools - 2; u >= 0; u--) {
                out.add(seg[u]);
            }
        }
        return out;
    }

    private void checkInput(Shape shape) {
        int[] div = arch.inputDivisibleBy();
        boolean ok = shape.dimension() == div.length + 2 && shape.get(1) == arch.inputChannels();
        for (int i = 0; ok && i < div.length; i++) {
            ok = shape.get(2 + i) % div[i] == 0;
        }
        if (!ok) {
            throw new IllegalArgumentException("network input " + shape + " must be [N, " + arch.inputChannels()
                    + ", spatial...] with spatial sizes divisible by " + java.util.Arrays.toString(div));
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        walkShapes(inputShapes[0], manager, dataType);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return walkShapes(inputShapes[0], null, null);
    }

    /** Follows the forward pass on shapes; initialises each child on the way when a manager is given. */
    private Shape[] walkShapes(Shape input, NDManager manager, DataType dataType) {
        int pools = arch.numPools();
        Shape x = input;
        List<Shape> skips = new ArrayList<>();
        for (int d = 0; d <= pools; d++) {
            x = visit(context.get(d), x, manager, dataType);
            skips.add(x);
        }
        Shape[] seg = new Shape[pools];
        for (int u = 0; u < pools; u++) {
            x = visit(upsampling.get(u), x, manager, dataType);
            long[] cat = x.getShape().clone();
            cat[1] += skips.get(pools - 1 - u).get(1);
            x = visit(localization.get(u), new Shape(cat), manager, dataType);
            seg[u] = visit(segOutputs.get(u), x, manager, dataType);
        }
        List<Shape> out = new ArrayList<>();
        out.add(seg[pools - 1]);
        if (deepSupervision) {
            for (int u = pools - 2; u >= 0; u--) {
                out.add(seg[u]);
            }
        }
        return out.toArray(new Shape[0]);
    }

    private static Shape visit(Block block, Shape in, NDManager manager, DataType dataType) {
        if (manager != null) {
            block.initialize(manager, dataType, in);
        }
        return block.getOutputShapes(new Shape[] {in})[0];
    }
}
