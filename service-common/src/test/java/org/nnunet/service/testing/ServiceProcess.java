package org.nnunet.service.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as a child JVM, for the fault and
 * end-to-end tests that need a real process: configuration goes in as {@code -D} system properties (they win over
 * its application.properties), console output to a log file. {@link #close} stops it (SIGTERM, then SIGKILL after
 * 20 s), so a {@code try}-with-resources never leaks a process.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmOptions] -Dk=v... -jar runJar} with stdout and stderr appended to {@code log}; the
     * service keeps the HTTP port of its own configuration.
     */
    public static ServiceProcess start(Path runJar, List<String> jvmOptions, Map<String, String> properties,
                                       Map<String, String> environment, Path log) throws IOException {
        String name = runJar.getFileName().toString();
        return launch(name, -1, runJar, jvmOptions, properties, environment, log.getParent(), log);
    }

    /**
     * Starts the service {@code name} on a free loopback HTTP port, in its own folder {@code workDir/name} (working
     * directory, {@code java.io.tmpdir}, {@code name.log}).
     */
    public static ServiceProcess startOnFreePort(String name, Path runJar, List<String> jvmOptions,
                                                 Map<String, String> properties, Map<String, String> environment,
                                                 Path workDir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createDirectories(workDir.resolve(name));
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        options.add("-Dquarkus.http.host=127.0.0.1");
        options.add("-Dquarkus.http.port=" + port);
        return launch(name, port, runJar, options, properties, environment, dir, dir.resolve(name + ".log"));
    }

    private static ServiceProcess launch(String name, int port, Path runJar, List<String> jvmOptions,
                                         Map<String, String> properties, Map<String, String> environment,
                                         Path workingDir, Path log) throws IOException {
        if (!Files.isRegularFile(runJar)) {
            throw new IOException(runJar + ": no packaged service (run mvn package, or mvn verify from the"
                    + " repository root, which packages the services before the tests that run them)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(runJar.toAbsolutePath().toString()); // the process runs in its own folder
        Files.createDirectories(workingDir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ServiceProcess(name, port, builder.start(), log);
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        if (port < 0) {
            throw new IllegalStateException(name + " was started on its configured port (use startOnFreePort)");
        }
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The last {@code lines} lines of the log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Waits until {@code /q/health/ready} answers 200 (Kafka and the bucket reachable). */
    public void awaitReady(long deadlineNanos) throws IOException, InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build();
        String last = "no answer";
        while (System.nanoTime() < deadlineNanos) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException(name + " not ready in time; last readiness answer: " + last + "; see " + log);
    }

    /** SIGTERM without waiting: Quarkus shuts down gracefully (stop several services at once, then close them). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no {@code @PreDestroy}, nothing flushed; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    /** SIGTERM (graceful Quarkus shutdown), then SIGKILL after 20 s; waits for the process to be gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
