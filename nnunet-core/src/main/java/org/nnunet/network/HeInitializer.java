package org.nnunet.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He (Kaiming) normal initialisation as v1's {@code InitWeights_He(1e-2)}: {@code nn.init.kaiming_normal_(w, a=1e-2)},
 * i.e. fan_in mode, leaky-ReLU gain {@code sqrt(2 / (1 + a^2))}, std = gain / sqrt(fan_in).
 * fan_in follows torch: {@code shape[1] * prod(shape[2:])}, which for a transposed conv ({@code [C_in, C_out, k...]})
 * is C_out * prod(k), as in PyTorch.
 */
public final class HeInitializer implements Initializer {

    static final double NEGATIVE_SLOPE = 1e-2;

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomNormal(0f, (float) std(shape), shape, dataType);
    }

    /** The standard deviation used for a weight of this shape. */
    public static double std(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("He init needs a weight of at least 2 dims, got " + shape);
        }
        long fanIn = shape.get(1);
        for (int i = 2; i < shape.dimension(); i++) {
            fanIn *= shape.get(i);
        }
        double gain = Math.sqrt(2.0 / (1 + NEGATIVE_SLOPE * NEGATIVE_SLOPE));
        return gain / Math.sqrt(fanIn);
    }
}
