package org.nnunet.preprocessing;

import java.util.stream.IntStream;

/**
 * Splits independent work items (lines, blocks, rows of one case) into a few contiguous chunks run on the common
 * fork-join pool; each chunk allocates its scratch buffers once.
 */
final class Parallel {
    interface Chunk {
        void run(int from, int to);
    }

    private Parallel() {}

    static void forChunks(int items, Chunk chunk) {
        int chunks = Math.min(items, 4 * Runtime.getRuntime().availableProcessors());
        if (chunks <= 1) {
            chunk.run(0, items);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) items * c / chunks);
            int to = (int) ((long) items * (c + 1) / chunks);
            if (from < to) {
                chunk.run(from, to);
            }
        });
    }
}
