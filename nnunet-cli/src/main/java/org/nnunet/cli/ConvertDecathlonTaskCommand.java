package org.nnunet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nnunet.dataset.DecathlonConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nnUNet_convert_decathlon_task}: Decathlon TaskXX_NAME folder to nnUNet_raw_data/TaskXXX_NAME. */
@Command(name = "convert_decathlon_task", mixinStandardHelpOptions = true,
        description = {"The MSD provides data as 4D NIfTIs with the modality as 4th dimension; nnU-Net expects one 3D "
                + "file per modality. Converts a Decathlon TaskXX_NAME folder into "
                + "$nnUNet_raw_data_base/nnUNet_raw_data/TaskXXX_NAME (case_0000.nii.gz, ...).",
                "Hidden files (names starting with '.') are ignored."})
public final class ConvertDecathlonTaskCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "-i", required = true, paramLabel = "FOLDER",
            description = "Input folder: a TaskXX_NAME folder as downloaded from the MSD website.")
    Path input;

    @Option(names = "-p", paramLabel = "N", defaultValue = "${env:nnUNet_def_n_proc:-8}",
            description = "Number of threads (default: $nnUNet_def_n_proc or 8, as v1; now ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "-output_task_id", paramLabel = "ID",
            description = "Task id of the output folder (default: the id of the input folder).")
    Integer outputTaskId;

    @Mixin
    NnUNetPathOptions pathOptions;

    @Override
    public Integer call() throws Exception {
        Path rawData = pathOptions.paths().requireRawData();
        DecathlonConverter.Summary s = DecathlonConverter.convert(input, rawData, outputTaskId, threads);
        var out = spec.commandLine().getOut();
        out.printf("Converted %s -> %s%n", input, s.outputFolder());
        out.printf("  task:       %s%n", s.task().fullName());
        out.printf("  cases:      %d training, %d test%n", s.trainingCases(), s.testCases());
        out.printf("  modalities: %s%n", s.modalities());
        out.printf("  labels:     %s%n", s.labels());
        out.printf("  images:     %d 4D split into modalities, %d 3D copied%n", s.imagesSplit4D(),
                s.imagesCopied3D());
        out.flush();
        return 0;
    }
}
