package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * {@code nn.InstanceNorm2d/3d(C, eps=1e-5, affine=True)} without running statistics: every (sample, channel) is
 * normalised with its own mean and biased variance, in training and in inference alike.
 * DJL has no instance norm; batch norm over a {@code [1, N*C, ...]} view with the affine parameters tiled N times
 * computes exactly the same thing (see docs/djl.md).
 */
public final class InstanceNorm extends AbstractBlock {

    static final float EPS = 1e-5f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public InstanceNorm(int channels) {
        this.channels = channels;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDManager m = x.getManager();
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        if (c != channels) {
            throw new IllegalArgumentException("instance norm over " + channels + " channels got input " + shape);
        }
        long[] view = shape.getShape().clone();
        view[0] = 1;
        view[1] = n * c;
        // ops whose receiver is a parameter land in the model's manager: move them to the caller's (per-iteration) one
        NDArray g = ps.getValue(gamma, x.getDevice(), training).tile(n);
        g.attach(m);
        NDArray b = ps.getValue(beta, x.getDevice(), training).tile(n);
        b.attach(m);
        NDArray runningMean = m.zeros(new Shape(n * c), x.getDataType(), x.getDevice());
        NDArray runningVar = m.ones(new Shape(n * c), x.getDataType(), x.getDevice());
        NDArray y = BatchNorm.batchNorm(x.reshape(new Shape(view)), runningMean, runningVar, g, b, 1, 0.1f, EPS, true)
                .singletonOrThrow();
        return new NDList(y.reshape(shape));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
