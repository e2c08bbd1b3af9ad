package io.osteo.train.engine;

import io.osteo.api.OsteoException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Assembles the next batch on one background thread while the current step runs on the training
 * thread, so that reading patches from disk and augmenting them overlaps with native compute.
 * Batches are produced in step order and depend only on the step index (never on timing). At most
 * one batch is in flight, so the host memory of the data path is two batches. Not thread-safe: one
 * training loop owns it; close it to stop the thread.
 */
final class BatchPrefetcher implements AutoCloseable {

    private final ExecutorService executor;
    private final IntFunction<HostBatch> source;
    private final int steps;
    private Future<HostBatch> pending;
    private int next;

    /**
     * @param source builds the batch of a step index (0-based)
     * @param steps number of steps
     * @param name thread name
     */
    BatchPrefetcher(IntFunction<HostBatch> source, int steps, String name) {
        this.source = source;
        this.steps = steps;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        submit();
    }

    private void submit() {
        if (next < steps) {
            int step = next++;
            pending = executor.submit(() -> source.apply(step));
        } else {
            pending = null;
        }
    }

    /** The next batch, waiting for it if needed; starts preparing the one after. */
    HostBatch next() {
        if (pending == null) {
            throw new IllegalStateException("no batch left (" + steps + " steps)");
        }
        HostBatch batch;
        try {
            batch = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("interrupted while preparing a training batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new OsteoException("preparing a training batch failed: " + cause, cause);
        }
        submit();
        return batch;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
