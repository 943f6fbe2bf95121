package org.nnunet.ensemble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code nnunet.ensemble.*}: publication and promotion of models. */
@ConfigMapping(prefix = "nnunet.ensemble")
public interface EnsembleConfig {

    /**
     * Promote a new model only if its cross-validation {@code mean_dice} is at least the promoted model's plus
     * {@link #minImprovement()}; false promotes every new model.
     */
    @WithDefault("true")
    boolean promoteOnlyIfBetter();

    @WithDefault("0.0")
    double minImprovement();

    /** Determine postprocessing on the pooled validation predictions of all folds (v1 consolidate_folds). */
    @WithDefault("true")
    boolean postprocessing();
}
