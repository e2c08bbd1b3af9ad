package io.osteo.spark.executor;

import io.osteo.api.screening.OsteoScreener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screeners of this JVM: one per distinct {@link ScreenerSettings}, created lazily by the first
 * task that needs it and shared by every later task in the JVM (screeners are thread-safe and
 * hold native memory and a loaded model, so never one per row or per task). Closed when the JVM
 * exits, or by {@link #closeAll()}.
 */
public final class ExecutorScreeners {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScreeners.class);
    private static final Map<ScreenerSettings, OsteoScreener> SCREENERS = new ConcurrentHashMap<>();
    private static final AtomicLong CREATED = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorScreeners::closeAll, "osteo-screeners-close"));
    }

    private ExecutorScreeners() {}

    /**
     * The screener for {@code settings}, creating it on first use. A model is taken from the
     * settings' driver path, or, when shipped, from {@code bundle} written under
     * {@code java.io.tmpdir}.
     */
    public static OsteoScreener get(ScreenerSettings settings, Supplier<ModelBundle> bundle) {
        return SCREENERS.computeIfAbsent(settings, s -> {
            Path dir = null;
            if (s.usesModel()) {
                dir = s.shipModel() ? bundle.get().materialise(Path.of(System.getProperty("java.io.tmpdir")))
                        : Path.of(s.modelPath());
            }
            OsteoScreener screener = s.build(dir);
            CREATED.incrementAndGet();
            LOG.info("screener {} created in this JVM (model from {})", screener.identity(), dir);
            return screener;
        });
    }

    /** Number of screeners this JVM has created so far (a check that tasks share them). */
    public static long created() {
        return CREATED.get();
    }

    /** Closes and forgets every screener of this JVM; the next task creates new ones. */
    public static void closeAll() {
        for (ScreenerSettings key : SCREENERS.keySet()) {
            OsteoScreener s = SCREENERS.remove(key);
            if (s != null) {
                s.close();
            }
        }
    }
}
