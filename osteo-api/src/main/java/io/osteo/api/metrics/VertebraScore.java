package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;

/**
 * One vertebra's truth and score, tagged with its patient, the input of patient aggregation.
 *
 * @param patientId patient identifier (non-blank)
 * @param positive true class of the vertebra (osteoporosis by DXA)
 * @param score finite score of the positive class (e.g. a probability)
 */
public record VertebraScore(String patientId, boolean positive, double score) {
    public VertebraScore {
        if (patientId == null || patientId.isBlank()) {
            throw new InvalidInputException("vertebra score without a patient id");
        }
        if (!Double.isFinite(score)) {
            throw new InvalidInputException("vertebra score of patient " + patientId + " is " + score + " (must be finite)");
        }
    }
}
