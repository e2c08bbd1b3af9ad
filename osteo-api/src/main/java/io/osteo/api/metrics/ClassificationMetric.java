package io.osteo.api.metrics;

/**
 * The binary screening metrics of the paper's tables, plus PPV/NPV. All are proportions in [0, 1].
 * {@link #AUC} is threshold-free; the others are read from a confusion matrix at a threshold.
 */
public enum ClassificationMetric {
    /** Accuracy (TP + TN) / N. */
    ACC("ACC"),
    /** Sensitivity, recall, true-positive rate: TP / (TP + FN). */
    SEN("SEN"),
    /** Specificity, true-negative rate: TN / (TN + FP). */
    SPE("SPE"),
    /** F1 score: 2 TP / (2 TP + FP + FN). */
    F1("F1"),
    /** Positive predictive value, precision: TP / (TP + FP). */
    PPV("PPV"),
    /** Negative predictive value: TN / (TN + FN). */
    NPV("NPV"),
    /** Area under the ROC curve (trapezoid rule = Mann-Whitney U / (n+ n-), ties count 1/2). */
    AUC("AUC");

    private final String label;

    ClassificationMetric(String label) {
        this.label = label;
    }

    /** Column header used in tables ("SEN"). */
    public String label() {
        return label;
    }

    /** True for every metric except {@link #AUC}. */
    public boolean needsThreshold() {
        return this != AUC;
    }
}
