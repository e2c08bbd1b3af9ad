package io.osteo.model.loss;

import io.osteo.api.InvalidInputException;

/**
 * Weights of the unified multi-task loss {@code alpha*CE(class) + beta*MSE(BMD) +
 * gamma*CE(position)}; a weight of 0 switches its term off (it is then not even computed).
 * Immutable, JSON-serialisable.
 *
 * <p>Immutable value; thread-safe.
 */
public record TaskWeights(double classWeight, double bmdWeight, double positionWeight) {

    public TaskWeights {
        check("class", classWeight);
        check("BMD", bmdWeight);
        check("position", positionWeight);
        if (classWeight == 0 && bmdWeight == 0 && positionWeight == 0) {
            throw new InvalidInputException("all multi-task loss weights are 0: nothing to train");
        }
    }

    private static void check(String what, double w) {
        if (!(w >= 0) || !Double.isFinite(w)) {
            throw new InvalidInputException(what + " loss weight must be finite and >= 0, got " + w);
        }
    }

    /** The paper's unified loss: 1.0, 1.0, 0.5. */
    public static TaskWeights unified() {
        return new TaskWeights(1.0, 1.0, 0.5);
    }

    /** Ablation: classification only. */
    public static TaskWeights classOnly() {
        return new TaskWeights(1.0, 0, 0);
    }

    /** Ablation: classification + BMD regression. */
    public static TaskWeights classAndBmd() {
        return new TaskWeights(1.0, 1.0, 0);
    }

    /** Ablation: classification + vertebra position. */
    public static TaskWeights classAndPosition() {
        return new TaskWeights(1.0, 0, 0.5);
    }
}
