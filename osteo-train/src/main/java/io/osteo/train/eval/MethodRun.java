package io.osteo.train.eval;

import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * The test-set predictions of one method trained with one seed.
 *
 * @param method method name as it appears in tables ("TP-SwAV/unified+MoE")
 * @param seed training seed
 * @param predictions one per labelled test vertebra
 */
public record MethodRun(String method, long seed, List<VertebraPrediction> predictions) {
    public MethodRun {
        if (method == null || method.isBlank()) {
            throw new InvalidInputException("method run without a method name");
        }
        if (predictions == null || predictions.isEmpty()) {
            throw new InvalidInputException("method '" + method + "' seed " + seed + " has no predictions");
        }
        predictions = List.copyOf(predictions);
    }
}
