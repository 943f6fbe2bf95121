package org.nnunet.planner;

import org.nnunet.dataset.DecathlonConverter;
import org.nnunet.dataset.TaskName;
import org.nnunet.service.StoreFolders;
import org.nnunet.storage.InvalidObjectKeyException;
import org.nnunet.storage.ObjectKeys;
import org.nnunet.storage.ObjectStore;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A task uploaded as one zip: an nnU-Net raw task (dataset.json, imagesTr with {@code _0000} modality files,
 * labelsTr, optionally imagesTs) or a Medical Segmentation Decathlon task (4D or 3D images without modality suffix,
 * converted as nnUNet_convert_decathlon_task does), either at the zip's root or inside one top-level folder.
 * Entry names are checked like object keys (no absolute paths, no '..', no backslashes); hidden entries
 * ({@code __MACOSX}, {@code ._x}) are skipped; the upload, its entry count and its extracted size are bounded; a
 * zip inside is a file like any other (not opened). Nothing is stored unless the task passes
 * {@link UploadedTaskCheck}.
 */
final class DatasetUpload {

    /** The request was refused with a 4xx {@code status} and a message for the client. */
    static final class Rejected extends RuntimeException {
        final int status;

        Rejected(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    private static final Set<String> TASK_PARTS = Set.of("dataset.json", "imagesTr", "labelsTr", "imagesTs");

    private final ObjectStore store;
    private final PlannerConfig config;

    DatasetUpload(ObjectStore store, PlannerConfig config) {
        this.store = store;
        this.config = config;
    }

    static TaskName requireTask(String task) {
        try {
            TaskName name = TaskName.parse(task);
            ObjectKeys.requireValidKey(task);
            if (task.contains("/")) {
                throw new IllegalArgumentException("contains '/'");
            }
            return name;
        } catch (IllegalArgumentException e) {
            throw new Rejected("invalid task name '" + task + "': " + e.getMessage(), 400);
        }
    }

    /** Checks the task, then stores its files under {@code RAW/TASK/}; returns their keys. */
    List<String> store(String task, InputStream zip) throws IOException {
        TaskName name = requireTask(task);
        Path work = Files.createTempDirectory("nnunet-upload");
        try {
            Path extracted = work.resolve("zip");
            extract(zip, extracted);
            Path root = taskRoot(extracted);
            boolean decathlon = isDecathlon(root);
            UploadedTaskCheck check = new UploadedTaskCheck(config.threads());
            check.requireThreeDimensional(root, decathlon);
            Path taskDir = decathlon ? convertDecathlon(root, name, work) : root;
            check.requireIntegrity(taskDir);
            List<String> keys = new ArrayList<>();
            for (String part : TASK_PARTS) {
                Path p = taskDir.resolve(part);
                if (Files.isRegularFile(p)) {
                    String key = config.rawPrefix() + task + "/" + part;
                    store.put(key, p);
                    keys.add(key);
                } else if (Files.isDirectory(p)) {
                    keys.addAll(StoreFolders.upload(store, p, config.rawPrefix() + task + "/" + part + "/"));
                }
            }
            return keys;
        } finally {
            StoreFolders.deleteQuietly(work);
        }
    }

    private void extract(InputStream in, Path dir) throws IOException {
        long maxBytes = config.maxUploadBytes();
        long maxExtracted = config.maxExtractedBytes();
        CountingInput counted = new CountingInput(in, maxBytes);
        long extractedBytes = 0;
        int entries = 0;
        int files = 0;
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream zip = new ZipInputStream(counted)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (++entries > config.maxUploadEntries()) {
                    throw new Rejected("the zip holds more than " + config.maxUploadEntries()
                            + " entries (nnunet.planner.max-upload-entries)", 413);
                }
                String entryName = entry.getName();
                String body = entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
                try {
                    ObjectKeys.requireValidKey(body);
                } catch (InvalidObjectKeyException e) {
                    throw new Rejected("zip entry '" + entryName + "' refused: " + e.getMessage(), 400);
                }
                if (entry.isDirectory() || hidden(body)) {
                    continue;
                }
                if (entry.getSize() > maxExtracted - extractedBytes) {
                    throw new Rejected("zip entry '" + entryName + "' declares " + entry.getSize() + " bytes: the zip "
                            + "would expand to more than " + maxExtracted + " bytes", 413);
                }
                Path target = dir.resolve(body).normalize();
                if (!target.startsWith(dir)) {
                    throw new Rejected("zip entry '" + entryName + "' escapes the task folder", 400);
                }
                try {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        for (int n; (n = zip.read(buffer)) > 0; ) {
                            extractedBytes += n;
                            if (extractedBytes > maxExtracted) {
                                throw new Rejected("zip entry '" + entryName + "' expands the zip past "
                                        + maxExtracted + " bytes (a zip bomb?)", 413);
                            }
                            out.write(buffer, 0, n);
                        }
                    }
                } catch (FileSystemException e) {
                    throw new Rejected("zip entry '" + entryName + "' clashes with another entry (a file and a "
                            + "folder of one name)", 400);
                }
                files++;
            }
        } catch (ZipException | EOFException e) {
            throw new Rejected("the upload is not a valid zip: " + e.getMessage(), 400);
        }
        if (counted.count == 0) {
            throw new Rejected("the upload is empty (0 bytes): send the task as a zip", 400);
        }
        if (files == 0) {
            throw new Rejected("the upload is not a zip or holds no files", 400);
        }
    }

    /** Counts the body's bytes and refuses past the limit (for bodies sent without a Content-Length). */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        private final long max;
        long count;

        CountingInput(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) {
            count += n;
            if (count > max) {
                throw new Rejected("upload larger than " + max + " bytes (nnunet.planner.max-upload-bytes)", 413);
            }
        }
    }

    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".") || segment.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    /** The folder holding dataset.json: the zip root or its single top-level folder. */
    private static Path taskRoot(Path extracted) throws IOException {
        if (Files.isRegularFile(extracted.resolve("dataset.json"))) {
            return extracted;
        }
        try (Stream<Path> top = Files.list(extracted)) {
            List<Path> dirs = top.filter(Files::isDirectory).toList();
            if (dirs.size() == 1 && Files.isRegularFile(dirs.get(0).resolve("dataset.json"))) {
                return dirs.get(0);
            }
        }
        throw new Rejected("no dataset.json at the zip's root or in its single top-level folder", 400);
    }

    /** Decathlon images carry no {@code _XXXX} modality suffix. */
    private static boolean isDecathlon(Path root) throws IOException {
        Path images = root.resolve("imagesTr");
        if (!Files.isDirectory(images)) {
            throw new Rejected("imagesTr is missing", 400);
        }
        try (Stream<Path> files = Files.list(images)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nii.gz"))
                    .anyMatch(n -> !n.matches(".*_\\d{4}\\.nii\\.gz"));
        }
    }

    /** Converts into {@code work/converted/TaskXXX_NAME}; returns that folder. */
    private static Path convertDecathlon(Path root, TaskName task, Path work) throws IOException {
        // DecathlonConverter reads the task from a TaskXX_NAME folder name; the id is replaced by the requested one
        Path named = work.resolve("decathlon").resolve("Task00_" + task.name());
        Files.createDirectories(named.getParent());
        Files.move(root, named);
        for (String sub : List.of("imagesTs", "labelsTr")) {
            Files.createDirectories(named.resolve(sub));
        }
        try {
            return DecathlonConverter.convert(named, work.resolve("converted"), task.id(), 2).outputFolder();
        } catch (IllegalArgumentException e) {
            throw new Rejected(e.getMessage().replace(work.toString(), "upload"), 422);
        }
    }
}
