package org.nnunet.cli;

import java.nio.file.Path;
import org.nnunet.dataset.NnUNetPaths;
import picocli.CommandLine.Option;

/**
 * The nnU-Net v1 base folders, from the environment variables {@code nnUNet_raw_data_base},
 * {@code nnUNet_preprocessed} and {@code RESULTS_FOLDER}; a flag of the same name overrides its variable.
 * Mix into any command with {@code @Mixin NnUNetPathOptions paths;}.
 */
public final class NnUNetPathOptions {

    @Option(names = "--nnUNet_raw_data_base", paramLabel = "DIR",
            description = "Overrides the environment variable nnUNet_raw_data_base.")
    Path rawDataBase;

    @Option(names = "--nnUNet_preprocessed", paramLabel = "DIR",
            description = "Overrides the environment variable nnUNet_preprocessed.")
    Path preprocessed;

    @Option(names = "--RESULTS_FOLDER", paramLabel = "DIR",
            description = "Overrides the environment variable RESULTS_FOLDER.")
    Path results;

    public NnUNetPaths paths() {
        return NnUNetPaths.fromEnvironment().withOverrides(rawDataBase, preprocessed, results);
    }
}
