package io.osteo.model.swav;

import io.osteo.api.InvalidInputException;

/**
 * SwAV head and loss settings (Caron et al. 2020; the paper's TP-SwAV). Immutable,
 * JSON-serialisable.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param projectionHidden hidden units of the projection MLP (Linear-BN-ReLU-Linear)
 * @param embeddingDim d, length of the L2-normalised embedding
 * @param prototypes K, number of prototype vectors (SwAV uses 3000; scale down for small data)
 * @param temperature tau of the softmax over prototype scores (0.1)
 * @param sinkhornEpsilon entropic regularisation of Sinkhorn-Knopp (0.05)
 * @param sinkhornIterations Sinkhorn-Knopp normalisation rounds (3)
 * @param queueLength stored embeddings per view added to Sinkhorn's batch (0 = no queue, the
 *     default; SwAV's trick for small batches)
 */
public record SwavConfig(
        int projectionHidden,
        int embeddingDim,
        int prototypes,
        double temperature,
        double sinkhornEpsilon,
        int sinkhornIterations,
        int queueLength) {

    public SwavConfig {
        positive("projectionHidden", projectionHidden);
        positive("embeddingDim", embeddingDim);
        positive("prototypes", prototypes);
        positive("sinkhornIterations", sinkhornIterations);
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new InvalidInputException("SwAV temperature must be > 0, got " + temperature);
        }
        if (!(sinkhornEpsilon > 0) || !Double.isFinite(sinkhornEpsilon)) {
            throw new InvalidInputException("Sinkhorn epsilon must be > 0, got " + sinkhornEpsilon);
        }
        if (queueLength < 0) {
            throw new InvalidInputException("SwAV queueLength must be >= 0, got " + queueLength);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new InvalidInputException("SwAV " + name + " must be >= 1, got " + value);
        }
    }

    /** SwAV's defaults: hidden 2048, d 128, K 3000, tau 0.1, epsilon 0.05, 3 iterations, no queue. */
    public static SwavConfig paper() {
        return builder().build();
    }

    /** CPU-sized: hidden 64, d 32, K 32; the method's tau, epsilon and iterations. */
    public static SwavConfig cpuSmall() {
        return builder().projectionHidden(64).embeddingDim(32).prototypes(32).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with SwAV's defaults (see {@link #paper()}). */
    public static final class Builder {
        private int projectionHidden = 2048;
        private int embeddingDim = 128;
        private int prototypes = 3000;
        private double temperature = 0.1;
        private double sinkhornEpsilon = 0.05;
        private int sinkhornIterations = 3;
        private int queueLength = 0;

        private Builder() {}

        public Builder projectionHidden(int value) {
            projectionHidden = value;
            return this;
        }

        public Builder embeddingDim(int value) {
            embeddingDim = value;
            return this;
        }

        public Builder prototypes(int value) {
            prototypes = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder sinkhornEpsilon(double value) {
            sinkhornEpsilon = value;
            return this;
        }

        public Builder sinkhornIterations(int value) {
            sinkhornIterations = value;
            return this;
        }

        public Builder queueLength(int value) {
            queueLength = value;
            return this;
        }

        public SwavConfig build() {
            return new SwavConfig(projectionHidden, embeddingDim, prototypes, temperature, sinkhornEpsilon,
                    sinkhornIterations, queueLength);
        }
    }
}
