package org.nnunet.dataloading;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.nnunet.augmentation.PatchBatch;

/**
 * Produces batches on background threads while the network trains (batchgenerators' MultiThreadedAugmenter):
 * one thread per worker, each with its own seeded loader and augmentation, a bounded queue per worker, and batches
 * taken round-robin so the sequence is the same for the same seeds however the threads are scheduled.
 */
public final class BackgroundBatchGenerator implements AutoCloseable {
    private final List<BlockingQueue<Object>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int next;
    private volatile boolean closed;

    /** {@code queueDepth} batches are kept ready per worker, bounding memory to workers x depth batches. */
    public BackgroundBatchGenerator(List<Supplier<PatchBatch>> workers, int queueDepth, String name) {
        for (int i = 0; i < workers.size(); i++) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(queueDepth);
            Supplier<PatchBatch> worker = workers.get(i);
            Thread t = new Thread(() -> produce(worker, queue), name + "-" + i);
            t.setDaemon(true);
            queues.add(queue);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    private void produce(Supplier<PatchBatch> worker, BlockingQueue<Object> queue) {
        try {
            while (!closed) {
                Object item;
                try {
                    item = worker.get();
                } catch (RuntimeException | Error e) {
                    item = e;
                }
                queue.put(item);
                if (item instanceof Throwable) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch; a worker's failure is rethrown here, in the training thread. */
    public PatchBatch next() {
        if (closed) {
            throw new IllegalStateException("batch generator is closed");
        }
        BlockingQueue<Object> queue = queues.get(next);
        next = (next + 1) % queues.size();
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
        if (item instanceof Throwable t) {
            close();
            throw new IllegalStateException("data loading worker failed: " + t.getMessage(), t);
        }
        return (PatchBatch) item;
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
