package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * A 2d/3d convolution with PyTorch's weight layout {@code [C_out, C_in, k...]}, "same" padding
 * {@code (k - 1) / 2} per axis (Generic_UNet pads 1 for kernel 3, 0 for kernel 1), optional bias.
 * Channel counts are fixed at construction, so parameter shapes are known without a dummy forward pass.
 */
public final class ConvLayer extends AbstractBlock {

    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final Parameter weight;
    private final Parameter bias;

    public ConvLayer(int inChannels, int outChannels, int[] kernel, int[] stride, boolean withBias) {
        if (kernel.length != stride.length || (kernel.length != 2 && kernel.length != 3)) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + " and stride "
                    + Arrays.toString(stride) + " must both be 2d or 3d");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        long[] wShape = new long[2 + kernel.length];
        wShape[0] = outChannels;
        wShape[1] = inChannels;
        for (int i = 0; i < kernel.length; i++) {
            wShape[2 + i] = kernel[i];
        }
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(wShape)).optInitializer(new HeInitializer()).build());
        bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outChannels)).optInitializer(Initializer.ZEROS).build())
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        Shape s = toShape(stride);
        Shape pad = toShape(padding(kernel));
        Shape dilation = toShape(ones(kernel.length));
        NDList out = kernel.length == 3
                ? Conv3d.conv3d(x, w, b, s, pad, dilation, 1)
                : Conv2d.conv2d(x, w, b, s, pad, dilation, 1);
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long[] out = new long[in.dimension()];
        out[0] = in.get(0);
        out[1] = outChannels;
        int[] pad = padding(kernel);
        for (int i = 0; i < kernel.length; i++) {
            out[2 + i] = (in.get(2 + i) + 2L * pad[i] - kernel[i]) / stride[i] + 1;
        }
        return new Shape[] {new Shape(out)};
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    static int[] padding(int[] kernel) {
        int[] p = new int[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            p[i] = (kernel[i] - 1) / 2;
        }
        return p;
    }

    static int[] ones(int n) {
        int[] o = new int[n];
        Arrays.fill(o, 1);
        return o;
    }

    static Shape toShape(int[] v) {
        return new Shape(Arrays.stream(v).asLongStream().toArray());
    }
}
