package org.nnunet.network;

import org.nnunet.planning.Plans;
import org.nnunet.planning.StagePlan;

import java.util.Arrays;

/**
 * What {@link GenericUNet} is built from: the plan's numbers as nnUNetTrainerV2.initialize_network passes them to
 * Generic_UNet (2 convs per stage, feature doubling per pool, convolutional pooling and upsampling).
 *
 * @param inputChannels   modalities
 * @param numClasses      output channels, background included
 * @param baseFeatures    features of the first stage (32)
 * @param maxFeatures     cap on features per stage (320 in 3d, 480 in 2d: Generic_UNet.MAX_NUM_FILTERS_3D / MAX_FILTERS_2D)
 * @param poolKernels     one pool kernel per downsampling, each of length 2 or 3 (array axis order)
 * @param convKernels     one conv kernel per stage: {@code poolKernels.length + 1} entries, each 1 or 3 per axis
 */
public record UNetArchitecture(int inputChannels, int numClasses, int baseFeatures, int maxFeatures,
                               int[][] poolKernels, int[][] convKernels) {

    public static final int BASE_FEATURES = 32;
    public static final int MAX_FEATURES_3D = 320;
    public static final int MAX_FEATURES_2D = 480;

    public UNetArchitecture {
        if (poolKernels.length < 1) {
            throw new IllegalArgumentException("a U-Net needs at least one pool, got none");
        }
        if (convKernels.length != poolKernels.length + 1) {
            throw new IllegalArgumentException("need " + (poolKernels.length + 1) + " conv kernels for "
                    + poolKernels.length + " pools, got " + convKernels.length);
        }
        int dims = poolKernels[0].length;
        if (dims != 2 && dims != 3) {
            throw new IllegalArgumentException("pool kernels must be 2d or 3d, got " + Arrays.toString(poolKernels[0]));
        }
        for (int[] k : poolKernels) {
            if (k.length != dims) {
                throw new IllegalArgumentException("pool kernel " + Arrays.toString(k) + " is not " + dims + "d");
            }
        }
        for (int[] k : convKernels) {
            if (k.length != dims) {
                throw new IllegalArgumentException("conv kernel " + Arrays.toString(k) + " is not " + dims + "d");
            }
            for (int v : k) {
                if (v % 2 == 0) {
                    throw new IllegalArgumentException("conv kernel " + Arrays.toString(k) + " must be odd per axis");
                }
            }
        }
        if (inputChannels < 1 || numClasses < 2) {
            throw new IllegalArgumentException("need >= 1 input channel and >= 2 classes, got "
                    + inputChannels + " and " + numClasses);
        }
        poolKernels = deepCopy(poolKernels);
        convKernels = deepCopy(convKernels);
    }

    /** The 3d_fullres / 3d_lowres network of a plan: base 32, max 320 features. */
    public static UNetArchitecture threeD(int inputChannels, int numClasses, int[][] poolKernels, int[][] convKernels) {
        return new UNetArchitecture(inputChannels, numClasses, BASE_FEATURES, MAX_FEATURES_3D, poolKernels, convKernels);
    }

    /** The 2d network: base 32, max 480 features (the planner's 512 is not what the trainer builds). */
    public static UNetArchitecture twoD(int inputChannels, int numClasses, int[][] poolKernels, int[][] convKernels) {
        return new UNetArchitecture(inputChannels, numClasses, BASE_FEATURES, MAX_FEATURES_2D, poolKernels, convKernels);
    }

    /**
     * The network nnUNetTrainer.process_plans + nnUNetTrainerV2.initialize_network build for a configuration:
     * input channels = modalities (+ classes - 1 for 3d_cascade_fullres), classes = {@code num_classes + 1} (the plans count foreground classes only),
     * pools and kernels of the configuration's stage ({@link Plans#stageIndexFor}), 2d or 3d feature cap.
     */
    public static UNetArchitecture fromPlans(Plans plans, String configuration) {
        StagePlan stage = plans.stage(plans.stageIndexFor(configuration));
        int classes = plans.numClasses() + 1;
        int maxFeatures = configuration.equals("2d") ? MAX_FEATURES_2D : MAX_FEATURES_3D;
        int expectedDims = configuration.equals("2d") ? 2 : 3;
        if (stage.poolOpKernelSizes().length == 0 || stage.poolOpKernelSizes()[0].length != expectedDims) {
            throw new IllegalArgumentException("plans stage for " + configuration + " has pool kernels "
                    + Arrays.deepToString(stage.poolOpKernelSizes()) + ", expected " + expectedDims + "d ones");
        }
        // nnUNetTrainerV2CascadeFullRes.process_plans: the previous stage's one-hot maps are extra inputs
        int inputs = plans.numModalities() + (configuration.equals("3d_cascade_fullres") ? classes - 1 : 0);
        return new UNetArchitecture(inputs, classes, plans.baseNumFeatures(), maxFeatures,
                stage.poolOpKernelSizes(), stage.convKernelSizes());
    }

    public int spatialDims() {
        return poolKernels[0].length;
    }

    public int numPools() {
        return poolKernels.length;
    }

    /** Features of encoder stage {@code stage} (0..numPools, numPools = bottleneck): base * 2^stage, capped. */
    public int features(int stage) {
        long f = (long) baseFeatures << stage;
        return (int) Math.min(f, maxFeatures);
    }

    /** Product of the pool kernels per axis: patch edges must be divisible by it. */
    public int[] inputDivisibleBy() {
        int[] d = new int[spatialDims()];
        Arrays.fill(d, 1);
        for (int[] p : poolKernels) {
            for (int a = 0; a < d.length; a++) {
                d[a] *= p[a];
            }
        }
        return d;
    }

    @Override
    public int[][] poolKernels() {
        return deepCopy(poolKernels);
    }

    @Override
    public int[][] convKernels() {
        return deepCopy(convKernels);
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetArchitecture u && inputChannels == u.inputChannels && numClasses == u.numClasses
                && baseFeatures == u.baseFeatures && maxFeatures == u.maxFeatures
                && Arrays.deepEquals(poolKernels, u.poolKernels) && Arrays.deepEquals(convKernels, u.convKernels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputChannels + numClasses) + Arrays.deepHashCode(poolKernels);
    }

    @Override
    public String toString() {
        return "UNetArchitecture[in=" + inputChannels + ", classes=" + numClasses + ", base=" + baseFeatures
                + ", max=" + maxFeatures + ", pools=" + Arrays.deepToString(poolKernels)
                + ", convs=" + Arrays.deepToString(convKernels) + "]";
    }
}
