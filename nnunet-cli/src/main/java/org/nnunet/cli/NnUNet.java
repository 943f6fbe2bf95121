package org.nnunet.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Top-level command; the bin/nnUNet_* launchers call one subcommand each ({@code bin/nnUNet_X} runs subcommand
 * {@code X}). Register new commands in {@code subcommands}.
 */
@Command(name = "nnunet", mixinStandardHelpOptions = true, version = "nnU-Net for the JVM 0.1.0",
        description = "nnU-Net v1 commands on the local filesystem.",
        // one command per line: each work item adds its own line
        subcommands = {
                ConvertDecathlonTaskCommand.class,
                VerifyDatasetIntegrityCommand.class,
                PlanAndPreprocessCommand.class,
                EvaluateFolderCommand.class,
                EnsembleCommand.class,
                TrainCommand.class,
                PredictCommand.class,
                FindBestConfigurationCommand.class,
                PipelineCommand.class,
        })
public final class NnUNet implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs a command line. An unknown command name (e.g. a v1 command this build does not have yet) gets a clear
     * message and exit code 2; a failing command prints its error message without a stack trace and exits 1.
     */
    public static int execute(String... args) {
        return execute(commandLine(), args);
    }

    /** As {@link #execute(String...)} on a command line from {@link #commandLine()} (tests set its writers). */
    public static int execute(CommandLine cl, String... args) {
        Map<String, CommandLine> commands = cl.getSubcommands();
        if (args.length > 0 && !args[0].startsWith("-") && !commands.containsKey(args[0])) {
            cl.getErr().println("nnUNet_" + args[0] + " is not available in this build yet. Available commands: "
                    + String.join(", ", commands.keySet().stream().map(c -> "nnUNet_" + c).toList()));
            cl.getErr().flush();
            return 2;
        }
        return cl.execute(args);
    }

    /** The configured command line (tests use it with their own writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new NnUNet());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = ex.getMessage() != null ? ex.getMessage() : ex.toString();
            commandLine.getErr().println("nnUNet_" + commandLine.getCommandName() + ": " + message);
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
