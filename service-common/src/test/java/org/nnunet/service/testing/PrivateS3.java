package org.nnunet.service.testing;

import org.nnunet.storage.MinioObjectStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3Proxy server of this test alone (jar from {@code .ci/servers.sh}, system property {@code nnunet.s3proxy.jar}),
 * filesystem backend, bound to 127.0.0.1 on a port chosen once: {@link #kill} and {@link #startAgain} give an outage
 * with the same endpoint and the stored objects kept.
 */
public final class PrivateS3 implements AutoCloseable {

    public static final String JAR_PROPERTY = "nnunet.s3proxy.jar";
    public static final String ACCESS_KEY = "nnunet-fault";
    public static final String SECRET_KEY = "nnunet-fault-secret-0123456789";
    public static final String BUCKET = "nnunet";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path jar;
    private final Path dir;
    private final int port;
    private Process process;
    private int starts;

    private PrivateS3(Path jar, Path dir, int port) {
        this.jar = jar;
        this.dir = dir;
        this.port = port;
    }

    public static boolean available() {
        String jar = System.getProperty(JAR_PROPERTY, "");
        return !jar.isBlank() && Files.isRegularFile(Path.of(jar));
    }

    /** Starts an empty server with bucket {@link #BUCKET}; ready (port answers) when this returns. */
    public static PrivateS3 start() throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException("no S3Proxy jar: set -D" + JAR_PROPERTY
                    + " (bash .ci/servers.sh mvn-args prints it)");
        }
        PrivateS3 s3 = new PrivateS3(Path.of(System.getProperty(JAR_PROPERTY)), Files.createTempDirectory("private-s3"),
                PrivateKafka.FreePorts.take(1)[0]);
        Files.createDirectories(s3.dir.resolve("data").resolve(BUCKET));
        Files.writeString(s3.dir.resolve("s3proxy.conf"), """
                s3proxy.endpoint=http://127.0.0.1:%d
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                jclouds.provider=filesystem-nio2
                jclouds.filesystem.basedir=%s
                """.formatted(s3.port, ACCESS_KEY, SECRET_KEY, s3.dir.resolve("data")));
        s3.startAgain();
        return s3;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of this server (no retries). */
    public MinioObjectStore store() {
        return MinioObjectStore.connect(endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public void startAgain() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("S3Proxy already running on " + endpoint());
        }
        Path log = dir.resolve("s3proxy-" + (++starts) + ".log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--properties", dir.resolve("s3proxy.conf").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("private S3Proxy did not start; " + log + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** SIGKILL: the server vanishes mid-request, as on a node loss. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Every file the server holds under the bucket, relative keys ('/'-separated), temporary ones included. */
    public List<String> rawKeys() throws IOException {
        Path bucket = dir.resolve("data").resolve(BUCKET);
        List<String> keys = new ArrayList<>();
        // the server deletes temporary objects (and their emptied folders) while we walk: a vanished entry is skipped
        Files.walkFileTree(bucket, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    keys.add(bucket.relativize(file).toString().replace('\\', '/'));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Collections.sort(keys);
        return keys;
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        PrivateKafka.FreePorts.deleteTree(dir);
    }
}
