package io.osteo.train.eval;

/** The unit metrics are computed on: single vertebrae, or patients (any-positive, max score). */
public enum EvaluationLevel {
    VERTEBRA("vertebra"),
    PATIENT("patient");

    private final String label;

    EvaluationLevel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
