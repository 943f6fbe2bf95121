package org.nnunet.preprocessing;

/**
 * nnU-Net v1.7.1 {@code PreprocessorFor2D}: like {@link GenericPreprocessor}, but the target spacing's first
 * (out-of-plane, after transposition) entry is replaced by each case's own spacing, so only the in-plane axes are
 * resampled.
 */
public class PreprocessorFor2D extends GenericPreprocessor {

    public PreprocessorFor2D(PreprocessingConfig config) {
        super(config);
    }

    @Override
    protected boolean twoD() {
        return true;
    }
}
