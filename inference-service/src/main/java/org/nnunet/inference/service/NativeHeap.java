package org.nnunet.inference.service;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's native heap as the OS sees it. libtorch frees tensors with glibc's {@code free}, which keeps the
 * pages in its malloc arenas for reuse instead of returning them (docs/performance.md, training memory section 2:
 * ~0.45 GB after a training run); {@link #trim()} asks glibc to hand back what is free.
 */
public final class NativeHeap {

    /** glibc's {@code int malloc_trim(size_t pad)}; absent from musl and non-Linux C libraries. */
    private interface GlibcMalloc extends Library {
        int malloc_trim(long pad);
    }

    private static volatile GlibcMalloc glibc;
    private static volatile boolean unavailable;

    private NativeHeap() {}

    /**
     * Returns the free memory of every malloc arena to the OS ({@code malloc_trim(0)}), true if glibc released any.
     * Without glibc it does nothing and returns false.
     */
    static boolean trim() {
        if (unavailable) {
            return false;
        }
        try {
            GlibcMalloc c = glibc;
            if (c == null) {
                c = Native.load("c", GlibcMalloc.class);
                glibc = c;
            }
            return c.malloc_trim(0) == 1;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            unavailable = true;
            return false;
        }
    }

    static boolean available() {
        return !unavailable;
    }

    /** Resident set size from {@code /proc/self/status} (Linux), empty elsewhere. */
    public static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux or an unexpected format: the size is only reported, never relied on
        }
        return OptionalLong.empty();
    }
}
