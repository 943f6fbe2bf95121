package org.nnunet.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A label map as v1 {@code np.savez_compressed(file, data=seg.astype(np.uint8))} stores it (e.g. the cascade's
 * {@code <case>_segFromPrevStage.npz}): a deflated zip holding {@code data.npy}, dtype {@code '|u1'}, C order.
 */
public final class LabelNpz {
    public static final String KEY = "data";

    private LabelNpz() {}

    /** Labels must be integers in 0..255. Written to a temporary file, then moved into place. */
    public static void write(Path file, int[] shape, int[] labels) throws IOException {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != labels.length) {
            throw new IllegalArgumentException("cannot write " + file + ": shape " + Arrays.toString(shape)
                    + " needs " + n + " labels, got " + labels.length);
        }
        byte[] bytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("cannot write " + file + ": label " + labels[i]
                        + " does not fit uint8");
            }
            bytes[i] = (byte) labels[i];
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(KEY + ".npy"));
                zip.write(NpyWriter.header(shape, "|u1"));
                zip.write(bytes);
                zip.closeEntry();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The {@code data} array of an npz written by us or by numpy, as float32. */
    public static NpyArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(KEY + ".npy")) {
                    return NpyReader.read(Channels.newChannel(zip), file + "!" + e.getName());
                }
            }
        }
        throw new IOException(file + ": no '" + KEY + "' array in the npz");
    }
}
