package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Generic_UNet's {@code ConvDropoutNormNonlin} as nnUNetTrainerV2 configures it: conv (with bias) -> instance norm
 * (eps 1e-5, affine) -> LeakyReLU(0.01); dropout p = 0 so there is none.
 */
public final class ConvNormNonlin extends AbstractBlock {

    static final float NEGATIVE_SLOPE = 0.01f;

    private final ConvLayer conv;
    private final InstanceNorm norm;

    public ConvNormNonlin(int inChannels, int outChannels, int[] kernel, int[] stride) {
        conv = addChildBlock("conv", new ConvLayer(inChannels, outChannels, kernel, stride, true));
        norm = addChildBlock("instnorm", new InstanceNorm(outChannels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList c = conv.forward(ps, inputs, training);
        NDArray n = norm.forward(ps, c, training).singletonOrThrow();
        return new NDList(Activation.leakyRelu(n, NEGATIVE_SLOPE));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
