package org.nnunet.preprocess;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** {@code nnunet.preprocess.*} */
@ConfigMapping(prefix = "nnunet.preprocess")
public interface PreprocessConfig {

    /** Folds requested for training per configuration (nnU-Net: 0..4). */
    @WithDefault("0,1,2,3,4")
    List<Integer> folds();

    /** Preprocessing threads (v1 -tl and -tf). */
    @WithDefault("2")
    int threads();
}
