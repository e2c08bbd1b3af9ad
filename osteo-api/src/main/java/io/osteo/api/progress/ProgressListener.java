package io.osteo.api.progress;

/**
 * Receives progress of long work (texture-pool extraction over a cohort, pretraining,
 * fine-tuning, evaluation, batch screening). Library code never prints; callers plug in a console
 * bar (the examples and CLI do), a log, or a GUI. Implementations must be cheap and thread-safe:
 * work running on several threads may report concurrently.
 */
public interface ProgressListener {

    /** A listener that ignores everything (the library default). */
    ProgressListener NONE = new ProgressListener() {};

    /**
     * A task starts.
     *
     * @param task short name ("pretrain", "texture pool")
     * @param total number of units of work, or -1 when unknown
     */
    default void started(String task, long total) {}

    /**
     * Work advanced.
     *
     * @param task the task's name
     * @param done units done so far (monotonic)
     * @param total units in all, or -1 when unknown
     * @param message short status ("epoch 3/10 loss 5.12"), may be empty
     */
    default void progressed(String task, long done, long total, String message) {}

    /** The task ended (successfully or not); {@code message} summarises it. */
    default void finished(String task, String message) {}
}
