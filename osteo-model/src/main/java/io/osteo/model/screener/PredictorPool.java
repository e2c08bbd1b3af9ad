package io.osteo.model.screener;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.osteo.api.OsteoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * A fixed set of DJL {@link Predictor}s over one model, each lent to one caller at a time: DJL
 * predictors are not thread-safe, while the model's parameters are shared read-only.
 * {@link #batchPredict} blocks while every predictor is busy. Thread-safe; {@link #close()}
 * closes every predictor and must come after the last prediction.
 */
final class PredictorPool<I, O> implements AutoCloseable {
    private final BlockingQueue<Predictor<I, O>> idle;
    private final List<Predictor<I, O>> all;
    private volatile boolean closed;

    PredictorPool(Supplier<Predictor<I, O>> factory, int size) {
        this.idle = new ArrayBlockingQueue<>(size);
        this.all = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                Predictor<I, O> p = factory.get();
                all.add(p);
                idle.add(p);
            }
        } catch (RuntimeException e) {
            all.forEach(Predictor::close);
            throw e;
        }
    }

    /** Predicts a batch with one forward pass on a free predictor. */
    List<O> batchPredict(List<I> inputs) {
        if (closed) {
            throw new OsteoException("the screener is closed");
        }
        Predictor<I, O> p;
        try {
            p = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("interrupted while waiting for a free predictor", e);
        }
        try {
            return p.batchPredict(inputs);
        } catch (TranslateException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OsteoException oe) {
                throw oe;
            }
            throw new OsteoException("model inference failed: " + e.getMessage(), e);
        } finally {
            idle.add(p);
        }
    }

    int size() {
        return all.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        all.forEach(Predictor::close);
    }
}
