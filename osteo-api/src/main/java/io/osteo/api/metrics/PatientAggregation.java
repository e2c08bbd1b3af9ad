package io.osteo.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's patient-level rule: a patient is positive if any of their vertebrae is positive. For
 * scores this is the maximum: a patient is predicted positive at threshold t exactly when one of
 * their vertebrae is, so patient ROC curves and AUC follow from the max score. Stateless.
 */
public final class PatientAggregation {

    private PatientAggregation() {}

    /**
     * Aggregates vertebrae by patient id.
     *
     * @return one score per patient, in order of each patient's first vertebra
     */
    public static List<PatientScore> anyPositive(List<VertebraScore> vertebrae) {
        Map<String, PatientScore> byPatient = new LinkedHashMap<>();
        for (VertebraScore v : vertebrae) {
            byPatient.merge(v.patientId(), new PatientScore(v.patientId(), v.positive(), v.score(), 1),
                    (a, b) -> new PatientScore(a.patientId(), a.positive() || b.positive(),
                            Math.max(a.score(), b.score()), a.vertebrae() + b.vertebrae()));
        }
        return new ArrayList<>(byPatient.values());
    }

    /** The patients as labels and scores, ready for metrics. */
    public static ScoredOutcomes outcomes(List<PatientScore> patients) {
        boolean[] labels = new boolean[patients.size()];
        double[] scores = new double[patients.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = patients.get(i).positive();
            scores[i] = patients.get(i).score();
        }
        return ScoredOutcomes.of(labels, scores);
    }
}
