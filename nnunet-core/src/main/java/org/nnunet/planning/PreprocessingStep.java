package org.nnunet.planning;

import java.io.IOException;
import java.nio.file.Path;
import org.nnunet.cropping.CroppedDataFolder;

/**
 * What nnU-Net v1 does after writing a plans file ({@code ExperimentPlanner.run_preprocessing}): resample and
 * normalize the cropped cases for every stage of the plans into {@code preprocessedDir}.
 */
@FunctionalInterface
public interface PreprocessingStep {

    /**
     * @param threadsLowres threads for the low-resolution stage ({@code -tl})
     * @param threadsFullres threads for full-resolution stages and 2D ({@code -tf})
     */
    void run(Plans plans, CroppedDataFolder cropped, Path preprocessedDir, int threadsLowres, int threadsFullres)
            throws IOException;
}
