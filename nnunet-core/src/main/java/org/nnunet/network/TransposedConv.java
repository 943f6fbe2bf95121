package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.ConvTranspose2d/3d(C_in, C_out, kernel=k, stride=k, bias=False)} as Generic_UNet's {@code tu} layers.
 * With kernel = stride every input voxel writes its own disjoint k-block of the output, so the layer is a per-voxel
 * matrix product {@code [C_in] x [C_in, C_out * prod(k)]} followed by interleaving the k-blocks into the upsampled
 * grid (DJL's PyTorch engine has no transposed 3d conv). Weight layout {@code [C_in, C_out, k...]} as in PyTorch.
 */
public final class TransposedConv extends AbstractBlock {

    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final Parameter weight;

    public TransposedConv(int inChannels, int outChannels, int[] kernel) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        long[] wShape = new long[2 + kernel.length];
        wShape[0] = inChannels;
        wShape[1] = outChannels;
        for (int i = 0; i < kernel.length; i++) {
            wShape[2 + i] = kernel[i];
        }
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(wShape)).optInitializer(new HeInitializer()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int dims = kernel.length;
        Shape in = x.getShape();
        if (in.dimension() != dims + 2 || in.get(1) != inChannels) {
            throw new IllegalArgumentException("transposed conv " + inChannels + "->" + outChannels
                    + " got input " + in);
        }
        long blockSize = 1;
        for (int k : kernel) {
            blockSize *= k;
        }
        NDArray w = ps.getValue(weight, x.getDevice(), training).reshape(inChannels, outChannels * blockSize);
        w.attach(x.getManager()); // keep the graph out of the model's manager

        // [N, C_in, S...] -> [N * prod(S), C_in]
        int[] toChannelsLast = new int[dims + 2];
        toChannelsLast[0] = 0;
        for (int i = 0; i < dims; i++) {
            toChannelsLast[1 + i] = 2 + i;
        }
        toChannelsLast[dims + 1] = 1;
        NDArray y = x.transpose(toChannelsLast).reshape(-1, inChannels).matMul(w);

        // [N, S..., C_out, k...] -> [N, C_out, S0, k0, S1, k1, ...] -> [N, C_out, S0*k0, ...]
        long[] blocks = new long[2 + 2 * dims];
        blocks[0] = in.get(0);
        for (int i = 0; i < dims; i++) {
            blocks[1 + i] = in.get(2 + i);
            blocks[2 + dims + i] = kernel[i];
        }
        blocks[1 + dims] = outChannels;
        int[] interleave = new int[2 + 2 * dims];
        interleave[0] = 0;
        interleave[1] = 1 + dims;
        for (int i = 0; i < dims; i++) {
            interleave[2 + 2 * i] = 1 + i;
            interleave[3 + 2 * i] = 2 + dims + i;
        }
        return new NDList(y.reshape(new Shape(blocks)).transpose(interleave).reshape(outputShape(in)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }

    private Shape outputShape(Shape in) {
        long[] out = new long[kernel.length + 2];
        out[0] = in.get(0);
        out[1] = outChannels;
        for (int i = 0; i < kernel.length; i++) {
            out[2 + i] = in.get(2 + i) * kernel[i];
        }
        return new Shape(out);
    }
}
