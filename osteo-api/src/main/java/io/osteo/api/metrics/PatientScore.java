package io.osteo.api.metrics;

/**
 * A patient's truth and score after any-positive aggregation of their vertebrae.
 *
 * @param patientId patient identifier
 * @param positive true if any of the patient's vertebrae is positive
 * @param score the maximum vertebra score, so that {@code score >= t} iff any vertebra is predicted
 *     positive at threshold t
 * @param vertebrae number of vertebrae aggregated (>= 1)
 */
public record PatientScore(String patientId, boolean positive, double score, int vertebrae) {}
