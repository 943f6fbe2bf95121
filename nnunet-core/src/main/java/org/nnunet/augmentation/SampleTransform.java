package org.nnunet.augmentation;

import java.util.random.RandomGenerator;

/** One batchgenerators transform applied to a single sample; may modify the sample's arrays in place. */
public interface SampleTransform {

    Sample apply(Sample sample, RandomGenerator rng);
}
