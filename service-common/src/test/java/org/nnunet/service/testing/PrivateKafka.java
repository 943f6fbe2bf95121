package org.nnunet.service.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker of this test alone, from the jars {@code .ci/servers.sh} fetched (system property
 * {@code nnunet.kafka.libs}, passed by its {@code mvn-args}): same settings as the shared CI broker, bound to
 * 127.0.0.1 on ports chosen once, so it can be stopped and started again at the same address with its data kept.
 */
public final class PrivateKafka implements AutoCloseable {

    public static final String LIBS_PROPERTY = "nnunet.kafka.libs";
    private static final String CLUSTER_ID = "bk5VTmV0RmF1bHRzVGVzdDE";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Path libs;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;
    private int starts;

    private PrivateKafka(Path libs, Path dir, int port, int controllerPort) {
        this.libs = libs;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** True when {@code nnunet.kafka.libs} names a folder of broker jars. */
    public static boolean available() {
        String libs = System.getProperty(LIBS_PROPERTY, "");
        return !libs.isBlank() && Files.isDirectory(Path.of(libs));
    }

    /** Formats a fresh data folder and starts the broker; ready when this returns. */
    public static PrivateKafka start() throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException("no Kafka broker jars: set -D" + LIBS_PROPERTY
                    + " (bash .ci/servers.sh mvn-args prints it)");
        }
        int[] ports = FreePorts.take(2);
        PrivateKafka kafka = new PrivateKafka(Path.of(System.getProperty(LIBS_PROPERTY)),
                Files.createTempDirectory("private-kafka"), ports[0], ports[1]);
        kafka.format();
        kafka.startAgain();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void format() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("log4j2.properties"), """
                status = warn
                appender.out.type = Console
                appender.out.name = OUT
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = INFO
                rootLogger.appenderRef.out.ref = OUT
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """);
        Files.writeString(dir.resolve("server.properties"), """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=true
                """.formatted(controllerPort, port, controllerPort, port, dir.resolve("data")));
        Process format = new ProcessBuilder(command("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c",
                dir.resolve("server.properties").toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("format.log").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("kafka-storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
    }

    /** (Re)starts the broker on the same ports and data; waits until it logs "Kafka Server started". */
    public void startAgain() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("broker already running on " + bootstrapServers());
        }
        Path log = dir.resolve("kafka-" + (++starts) + ".log");
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m"));
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        cmd.addAll(List.of("-cp", libs + "/*", "kafka.Kafka", dir.resolve("server.properties").toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("Kafka Server started")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("private Kafka broker did not start; " + log + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** Controlled shutdown (SIGTERM), as a rolling restart does; waits until the process is gone. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        FreePorts.deleteTree(dir);
    }

    private List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"), "-cp", libs + "/*", mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Free loopback ports, and folder cleanup, for the private servers. */
    static final class FreePorts {
        private FreePorts() {
        }

        static int[] take(int n) throws IOException {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                int[] ports = new int[n];
                for (int i = 0; i < n; i++) {
                    ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                    sockets.add(s);
                    ports[i] = s.getLocalPort();
                }
                return ports;
            } finally {
                for (ServerSocket s : sockets) {
                    s.close();
                }
            }
        }

        static void deleteTree(Path dir) {
            org.nnunet.service.StoreFolders.deleteQuietly(dir);
        }
    }
}
