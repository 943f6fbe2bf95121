package org.nnunet.service;

import org.nnunet.storage.ObjectInfo;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Mirrors object-store prefixes to local folders and back: the nnunet-core steps work on folders laid out like
 * nnU-Net v1's, the services keep them in the store.
 */
public final class StoreFolders {

    private StoreFolders() {
    }

    /** Downloads every object under {@code prefix} (ending in '/') into {@code dir}, keeping relative paths. */
    public static int download(ObjectStore store, String prefix, Path dir) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        int n = 0;
        for (ObjectInfo info : store.list(prefix)) {
            Path target = dir.resolve(info.key().substring(prefix.length())).normalize();
            if (!target.startsWith(dir)) {
                throw new IOException(store.location() + "/" + info.key() + ": escapes " + dir);
            }
            Files.createDirectories(target.getParent());
            try (InputStream in = store.get(info.key())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            n++;
        }
        return n;
    }

    /** Uploads every regular file under {@code dir} to {@code prefix + relative path}; returns the keys. */
    public static List<String> upload(ObjectStore store, Path dir, String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = prefix + dir.relativize(file).toString().replace('\\', '/');
                store.put(key, file);
                keys.add(key);
            }
        }
        return keys;
    }

    /** Deletes a local working folder (best effort: a leftover temp folder is not worth failing an event for). */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the OS cleans the temp dir eventually
        }
    }
}
