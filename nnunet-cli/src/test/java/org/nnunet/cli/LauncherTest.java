package org.nnunet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bin/nnUNet_* launchers: each is a link to bin/.nnunet-launcher, which runs the subcommand named after the
 * link. A stand-in {@code java} on the PATH records the command line, so no jar is needed.
 */
class LauncherTest {

    static final List<String> V1_COMMANDS = List.of("nnUNet_convert_decathlon_task", "nnUNet_plan_and_preprocess",
            "nnUNet_train", "nnUNet_predict", "nnUNet_find_best_configuration", "nnUNet_ensemble",
            "nnUNet_evaluate_folder", "nnUNet_pipeline");

    @TempDir
    Path tmp;

    static Path bin() {
        // surefire runs in the module folder; bin/ is at the repository root
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("bin");
    }

    @Test
    @DisplayName("every v1 command has a launcher resolving to bin/.nnunet-launcher")
    void launchersExist() throws IOException {
        Path launcher = bin().resolve(".nnunet-launcher").toRealPath();
        assertTrue(Files.isExecutable(launcher));
        for (String c : V1_COMMANDS) {
            assertEquals(launcher, bin().resolve(c).toRealPath(), c);
        }
    }

    @Test
    @DisplayName("bin/nnUNet_X runs 'java $NNUNET_JAVA_OPTS -Dai.djl.offline=true -jar nnunet-cli.jar X args'")
    void launcherMapsNameToSubcommand() throws Exception {
        Path fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.createFile(tmp.resolve("nnunet-cli.jar"));

        ProcessBuilder pb = new ProcessBuilder(bin().resolve("nnUNet_convert_decathlon_task").toString(),
                "-i", "/data/Task04 Hippocampus", "-p", "2");
        pb.environment().put("PATH", tmp + ":" + System.getenv("PATH"));
        pb.environment().put("NNUNET_CLI_JAR", jar.toString());
        pb.environment().put("NNUNET_JAVA_OPTS", "-Xmx1g -Dx=y");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // the default inter-op thread setting comes first so that NNUNET_JAVA_OPTS can override it
        assertEquals(List.of("-Dai.djl.pytorch.num_interop_threads=1", "-Xmx1g", "-Dx=y", "-Dai.djl.offline=true",
                "-jar", jar.toString(),
                "convert_decathlon_task", "-i", "/data/Task04 Hippocampus", "-p", "2"), out.lines().toList());
    }

    @Test
    @DisplayName("without a built jar the launcher says how to build it and exits 2")
    void missingJar() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(bin().resolve("nnUNet_train").toString(), "-h");
        pb.environment().put("NNUNET_CLI_JAR", tmp.resolve("absent.jar").toString());
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("absent.jar not found") && out.contains("mvn"), out);
    }
}
