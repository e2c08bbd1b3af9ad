package io.osteo.model.swav;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * SwAV swapped-prediction loss over V >= 2 views (paper Eq. 1, generalised as in SwAV): for each
 * view s, codes Q_s = SinkhornKnopp(scores_s) (no gradient) are predicted from every other view
 * t by softmax(scores_t / tau):
 * {@code L = 1/V sum_s 1/(V-1) sum_{t != s} mean_b( -sum_k Q_s[b,k] log softmax(scores_t[b]/tau)_k )}.
 * At uniform prediction the loss equals ln K, a value that signals collapse when it persists.
 *
 * <p>With {@code queueLength > 0}, the last embeddings of every view are kept (detached) and
 * their scores against the current prototypes are appended to the batch before Sinkhorn, so
 * equipartition is enforced over more samples than one small batch. The queue is filled before
 * it is used (SwAV's recipe) and lives in native memory owned by this object: close it.
 *
 * <p>Not thread-safe (the queue is state); one instance per training loop.
 */
public final class SwavLoss implements AutoCloseable {

    private final SwavConfig config;
    private final SinkhornKnopp sinkhorn;
    private final List<NDArray> queues = new ArrayList<>();
    private NDManager queueManager;
    private long queued;
    private Diagnostics last;

    public SwavLoss(SwavConfig config) {
        this.config = config;
        this.sinkhorn = new SinkhornKnopp(config.sinkhornEpsilon(), config.sinkhornIterations());
    }

    /**
     * Loss of one step.
     *
     * @param views one {@link SwavHead} output per view, each {@code NDList(z [B, d], scores [B, K])}
     * @param prototypes the current prototype matrix [K, d] (only read when the queue is on)
     * @return scalar loss (differentiable through the scores of every view)
     */
    public NDArray compute(List<NDList> views, NDArray prototypes) {
        if (views.size() < 2) {
            throw new InvalidInputException("SwAV needs at least 2 views, got " + views.size());
        }
        int v = views.size();
        List<NDArray> codes = new ArrayList<>(v);
        List<NDArray> logProbs = new ArrayList<>(v);
        boolean useQueue = config.queueLength() > 0 && queued >= config.queueLength();
        for (int i = 0; i < v; i++) {
            NDArray scores = views.get(i).get(SwavHead.SCORES);
            long batch = scores.getShape().get(0);
            NDArray forCodes = scores.stopGradient();
            if (useQueue) {
                // results attach to their first operand's manager: move each to the step's manager
                NDArray protos = prototypes.stopGradient();
                protos.attach(scores.getManager());
                NDArray queueScores = queues.get(i).matMul(protos.transpose());
                queueScores.attach(scores.getManager());
                forCodes = NDArrays.concat(new NDList(forCodes, queueScores), 0);
            }
            NDArray q = sinkhorn.codes(forCodes);
            if (useQueue) {
                q = q.get("0:" + batch);
            }
            codes.add(q);
            logProbs.add(scores.div((float) config.temperature()).logSoftmax(1));
        }
        if (config.queueLength() > 0) {
            enqueue(views);
        }
        last = diagnose(views.get(0).get(SwavHead.SCORES));
        NDArray total = null;
        for (int s = 0; s < v; s++) {
            for (int t = 0; t < v; t++) {
                if (s == t) {
                    continue;
                }
                NDArray term = codes.get(s).mul(logProbs.get(t)).sum(new int[] {1}).mean().neg();
                total = total == null ? term : total.add(term);
            }
        }
        return total.div((float) (v * (v - 1)));
    }

    private void enqueue(List<NDList> views) {
        if (queueManager == null) {
            queueManager = NDManager.newBaseManager(views.get(0).get(0).getDevice());
        }
        for (int i = 0; i < views.size(); i++) {
            NDArray z = views.get(i).get(SwavHead.EMBEDDING).stopGradient();
            NDArray fresh = queueManager.create(z.toFloatArray(), z.getShape());
            NDArray updated;
            if (queues.size() <= i) {
                updated = fresh;
                queues.add(updated);
            } else {
                NDArray old = queues.get(i);
                NDArray joined = NDArrays.concat(new NDList(fresh, old), 0);
                updated = joined.get("0:" + Math.min(joined.getShape().get(0), config.queueLength()));
                old.close();
                joined.close();
                queues.set(i, updated);
            }
        }
        queued = queues.get(0).getShape().get(0);
    }

    private Diagnostics diagnose(NDArray scores) {
        NDArray s = scores.stopGradient();
        long k = s.getShape().get(1);
        NDArray meanPrediction = s.div((float) config.temperature()).softmax(1).mean(new int[] {0});
        double entropy = -meanPrediction.mul(meanPrediction.maximum(1e-12f).log()).sum().getFloat();
        long[] winners = s.argMax(1).toLongArray();
        int used = (int) java.util.Arrays.stream(winners).distinct().count();
        return new Diagnostics(Math.log(k), entropy, used);
    }

    /**
     * Collapse indicators of the last {@link #compute} call (first view), or null before the
     * first call. Collapse: the loss stays near {@code lnK}, the entropy of the batch-mean
     * prediction drops towards 0 and one prototype wins every sample.
     *
     * @param lnK ln K, the loss of uniform predictions
     * @param meanPredictionEntropy entropy (nats) of the batch-averaged softmax(scores / tau)
     * @param prototypesUsed number of distinct arg-max prototypes in the batch
     */
    public record Diagnostics(double lnK, double meanPredictionEntropy, int prototypesUsed) {}

    /** Diagnostics of the last step (null before the first). */
    public Diagnostics lastDiagnostics() {
        return last;
    }

    /** Sinkhorn-Knopp used for the codes. */
    public SinkhornKnopp sinkhorn() {
        return sinkhorn;
    }

    /** Embeddings currently held per view (0 without a queue). */
    public long queuedSamples() {
        return queued;
    }

    @Override
    public void close() {
        queues.clear();
        queued = 0;
        if (queueManager != null) {
            queueManager.close();
            queueManager = null;
        }
    }
}
