package io.osteo.model.swav;

import ai.djl.ndarray.NDArray;
import io.osteo.api.InvalidInputException;

/**
 * Sinkhorn-Knopp equipartition of a batch of prototype scores into soft codes Q (SwAV): the
 * codes of each sample sum to 1 and every prototype receives about B/K of the batch's mass.
 * Works in the log domain (log-sum-exp with max subtraction), so it neither overflows nor
 * underflows for small epsilon or large K. Computed without gradient (the input is detached).
 *
 * <p>Immutable and thread-safe.
 */
public final class SinkhornKnopp {

    private final double epsilon;
    private final int iterations;

    /**
     * @param epsilon entropic regularisation (SwAV: 0.05)
     * @param iterations normalisation rounds (SwAV: 3)
     */
    public SinkhornKnopp(double epsilon, int iterations) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new InvalidInputException("Sinkhorn epsilon must be > 0, got " + epsilon);
        }
        if (iterations < 1) {
            throw new InvalidInputException("Sinkhorn iterations must be >= 1, got " + iterations);
        }
        this.epsilon = epsilon;
        this.iterations = iterations;
    }

    /**
     * Soft codes for scores {@code [B, K]} (cosine similarities of embeddings to prototypes).
     *
     * @return codes {@code [B, K]}, rows summing to 1, columns to about B/K; no gradient; attached
     *     to the scores' manager
     */
    public NDArray codes(NDArray scores) {
        if (scores.getShape().dimension() != 2) {
            throw new InvalidInputException("Sinkhorn scores must be [B, K], got " + scores.getShape());
        }
        long batch = scores.getShape().get(0);
        long prototypes = scores.getShape().get(1);
        NDArray logQ = scores.stopGradient().div((float) epsilon);
        double logB = Math.log(batch);
        double logK = Math.log(prototypes);
        for (int i = 0; i < iterations; i++) {
            // every prototype (column) gets total mass 1/K ...
            logQ = logQ.sub(logSumExp(logQ, 0)).sub((float) logK);
            // ... and every sample (row) total mass 1/B
            logQ = logQ.sub(logSumExp(logQ, 1)).sub((float) logB);
        }
        return logQ.add((float) logB).exp();
    }

    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true);
        return x.sub(max).exp().sum(new int[] {axis}, true).log().add(max);
    }

    public double epsilon() {
        return epsilon;
    }

    public int iterations() {
        return iterations;
    }
}
