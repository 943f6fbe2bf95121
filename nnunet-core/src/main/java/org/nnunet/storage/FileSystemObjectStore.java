package org.nnunet.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The embedded default store: key {@code a/b/c.nii.gz} is the file {@code <root>/a/b/c.nii.gz}, so the store is
 * laid out exactly like nnU-Net v1's {@code nnUNet_raw_data_base}, {@code nnUNet_preprocessed} and
 * {@code RESULTS_FOLDER} trees and a user can look inside with ordinary tools.
 *
 * <p>Writes go to a temporary file in the target's own folder (same filesystem, hidden from {@link #list}) that is
 * flushed to disk and then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}, so readers never
 * see a half-written file and a failed write leaves the previous file untouched. A killed process leaves its
 * temporary file behind, which {@link #sweepTemporary} removes once it is old enough.
 */
public final class FileSystemObjectStore implements ObjectStore, TemporaryLeftovers {

    private final Path root;

    /** Uses (and creates if needed) {@code root} as the store's root folder. */
    public FileSystemObjectStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file that holds {@code key}; exposed so local tools (NIfTI reader, DJL) can read in place. */
    public Path pathOf(String key) {
        Path path = root.resolve(ObjectKeys.requireValidKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new InvalidObjectKeyException(key, "resolves outside the store root " + root);
        }
        return path;
    }

    @Override
    public void put(String key, InputStream data, long length) throws IOException {
        Path target = pathOf(key);
        Path tmp = newTempFile(target);
        try {
            long written;
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                written = data.transferTo(out);
            }
            if (length != UNKNOWN_LENGTH && written != length) {
                throw new IOException("put '" + key + "' in " + location() + ": expected " + length
                        + " bytes but the stream gave " + written);
            }
            publish(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = pathOf(key);
        Path tmp = newTempFile(target);
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            publish(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new ObjectNotFoundException(location(), key);
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location(), key);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path path = pathOf(key);
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        // walk only the deepest folder that can contain matches
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectInfo> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = toKey(file);
                if (key.isEmpty() || !key.startsWith(prefix) || ObjectKeys.isTemporary(key)) {
                    continue;
                }
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class);
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                if (attrs.isRegularFile()) {
                    result.add(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
            }
        }
        result.sort(Comparator.comparing(ObjectInfo::key));
        return result;
    }

    @Override
    public void delete(String key) throws IOException {
        Path path = pathOf(key);
        if (Files.isDirectory(path)) {
            throw new IOException("delete '" + key + "' in " + location() + ": it is a folder, not an object");
        }
        Files.deleteIfExists(path);
    }

    @Override
    public void copy(String source, String target) throws IOException {
        Path from = pathOf(source);
        Path to = pathOf(target);
        if (!Files.isRegularFile(from)) {
            throw new ObjectNotFoundException(location(), source);
        }
        Path tmp = newTempFile(to);
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            publish(tmp, to);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(tmp);
            throw new ObjectNotFoundException(location(), source);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    /**
     * Deletes the temporary files ({@code .nnunet-tmp-*.part} of puts and copies, {@code .nnunet-tmp-ready-*} of
     * the services' readiness probe) anywhere under the root, last modified more than {@code olderThan} ago; a
     * file being written is modified all the time, so it stays young.
     */
    @Override
    public SweptLeftovers sweepTemporary(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int[] files = {0};
        long[] bytes = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && file.getFileName().toString().startsWith(ObjectKeys.TEMP_MARKER)
                        && !attrs.lastModifiedTime().toInstant().isAfter(cutoff) && Files.deleteIfExists(file)) {
                    files[0]++;
                    bytes[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // published or deleted while we walked
                }
                throw e;
            }
        });
        return new SweptLeftovers(files[0], bytes[0], 0);
    }

    private Path newTempFile(Path target) throws IOException {
        Path dir = Files.createDirectories(target.getParent());
        return Files.createTempFile(dir, ObjectKeys.TEMP_MARKER + "-", ".part");
    }

    private void publish(Path tmp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("store root " + root + " is on a filesystem without atomic rename", e);
        }
    }

    private String toKey(Path file) {
        String relative = root.relativize(file).toString();
        return file.getFileSystem().getSeparator().equals("/") ? relative
                : relative.replace(file.getFileSystem().getSeparator(), "/");
    }
}
