package io.osteo.cli;

import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.train.dataset.ChannelCache;
import io.osteo.train.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Computes the cached channels (texture pools) of many vertebrae up front, in parallel and with
 * progress, so that the trainers' data sources then only read the cache. Stateless.
 */
public final class ChannelPrefill {

    private ChannelPrefill() {}

    /**
     * Fills {@code cache} for every entry not cached yet.
     *
     * @param threads worker threads (vertebrae computed concurrently)
     * @param task progress task name
     */
    public static void prefill(ChannelCache cache, List<ManifestEntry> entries, int threads, String task,
            ProgressListener progress) {
        List<ManifestEntry> missing = entries.stream().filter(e -> !cache.isCached(e)).toList();
        if (missing.isEmpty()) {
            return;
        }
        progress.started(task, missing.size());
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "channel-prefill");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ManifestEntry e : missing) {
                futures.add(pool.submit(() -> {
                    cache.get(e);
                    progress.progressed(task, done.incrementAndGet(), missing.size(), "");
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException(task + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OsteoException oe) {
                throw oe;
            }
            throw new OsteoException(task + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.finished(task, missing.size() + " vertebrae");
    }
}
