package org.nnunet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Top-level command; the bin/nnUNet_* launchers call one subcommand each. */
@Command(name = "nnunet", mixinStandardHelpOptions = true, version = "nnU-Net for the JVM 0.1.0",
        description = "nnU-Net v1 commands on the local filesystem.",
        subcommands = {})
public final class NnUNet implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new NnUNet()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
