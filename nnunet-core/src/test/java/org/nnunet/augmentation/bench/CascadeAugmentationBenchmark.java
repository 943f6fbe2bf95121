package org.nnunet.augmentation.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnunet.augmentation.ApplyRandomBinaryOperatorTransform;
import org.nnunet.augmentation.RemoveRandomConnectedComponentTransform;
import org.nnunet.augmentation.Sample;

/**
 * Cost of the cascade's one-hot augmentations per channel (v1: skimage/scipy brute force in C): the random binary
 * operator (a random one of dilation, erosion, closing, opening) with a ball of radius r, and the connected-component
 * removal, on a patch holding a sphere of 10 % of its voxels. Patch 40x56x40 (Hippocampus full resolution) and
 * 128^3 (a typical cascade patch).
 * Run: mvn -pl nnunet-core -am test -Dtest=CascadeAugmentationBenchmark -Dgroups=benchmark -DexcludedGroups=none
 */
@Tag("benchmark")
class CascadeAugmentationBenchmark {

    @Test
    void perChannelCost() {
        System.out.println("| patch | ball radius | binary operator ms/channel | component removal ms/channel |");
        System.out.println("|---|---|---|---|");
        for (int[] shape : new int[][] {{40, 56, 40}, {128, 128, 128}}) {
            float[] sphere = sphere(shape, 0.10);
            int rounds = shape[0] == 128 ? 4 : 12;
            for (double r : new double[] {1, 2, 4, 7.9}) {
                ApplyRandomBinaryOperatorTransform op = new ApplyRandomBinaryOperatorTransform(1, 1.0,
                        new double[] {r, r}, 1.0);
                SplittableRandom rng = new SplittableRandom(1);
                op.apply(sample(sphere, shape), rng); // warm-up
                long t0 = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    op.apply(sample(sphere, shape), rng);
                }
                double opMs = (System.nanoTime() - t0) / 1e6 / rounds;
                RemoveRandomConnectedComponentTransform cc = new RemoveRandomConnectedComponentTransform(1, 1.0, 0,
                        0.15, 1.0);
                cc.apply(sample(sphere, shape), rng);
                t0 = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    cc.apply(sample(sphere, shape), rng);
                }
                double ccMs = (System.nanoTime() - t0) / 1e6 / rounds;
                System.out.printf("| %dx%dx%d | %.1f | %.1f | %.1f |%n", shape[0], shape[1], shape[2], r, opMs, ccMs);
                assertTrue(opMs > 0 && ccMs > 0);
            }
        }
    }

    private static Sample sample(float[] channel, int[] shape) {
        return new Sample(new float[][] {channel.clone()}, new float[][] {}, shape);
    }

    private static float[] sphere(int[] shape, double fraction) {
        int n = shape[0] * shape[1] * shape[2];
        double radius = Math.cbrt(fraction * n * 3 / (4 * Math.PI));
        float[] m = new float[n];
        for (int z = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++) {
                    double dz = z - shape[0] / 2.0;
                    double dy = y - shape[1] / 2.0;
                    double dx = x - shape[2] / 2.0;
                    if (dz * dz + dy * dy + dx * dx <= radius * radius) {
                        m[(z * shape[1] + y) * shape[2] + x] = 1;
                    }
                }
            }
        }
        return m;
    }
}
