package io.osteo.model.screener;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.osteo.api.OsteoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of DJL {@link Predictor}s over one model, lent to one caller at a time: DJL predictors
 * are not thread-safe, the model's parameters are shared read-only. {@link #predict} blocks while
 * every predictor is busy. Thread-safe; {@link #close()} closes every predictor (callers must have
 * finished: closing while a prediction runs is a programming error).
 */
final class PredictorPool<I, O> implements AutoCloseable {
    private final BlockingQueue<Predictor<I, O>> idle;
    private final List<Predictor<I, O>> all;
    private volatile boolean closed;

    PredictorPool(Model model, Translator<I, O> translator, int size) {
        this.idle = new ArrayBlockingQueue<>(size);
        this.all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Predictor<I, O> p = model.newPredictor(translator);
            all.add(p);
            idle.add(p);
        }
    }

    O predict(I input) {
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
            return p.predict(input);
        } catch (TranslateException e) {
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
        for (Predictor<I, O> p : all) {
            p.close();
        }
    }
}
