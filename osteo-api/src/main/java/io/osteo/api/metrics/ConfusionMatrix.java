package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.OptionalDouble;

/**
 * Counts of a binary decision against the truth (positive = osteoporosis). Immutable.
 *
 * <p>Rates with a zero denominator are undefined and returned as {@link OptionalDouble#empty()}:
 * sensitivity without any true positive case, specificity without negatives, PPV without positive
 * predictions, NPV without negative predictions, F1 when there are neither positive cases nor
 * positive predictions (2 TP + FP + FN = 0), accuracy on an empty matrix.
 *
 * @param tp true positives
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {

    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new InvalidInputException("confusion matrix counts must be >= 0, got TP=" + tp + " FP=" + fp
                    + " TN=" + tn + " FN=" + fn);
        }
    }

    /**
     * Counts decisions {@code score >= threshold} against the labels.
     *
     * @param labels true classes (true = positive)
     * @param scores scores of the positive class (any finite scale, e.g. a probability)
     * @param threshold decision threshold on the score scale
     */
    public static ConfusionMatrix of(boolean[] labels, double[] scores, double threshold) {
        ScoredOutcomes.validate(labels, scores);
        if (Double.isNaN(threshold)) {
            throw new InvalidInputException("decision threshold is NaN");
        }
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (labels[i]) {
                if (predicted) tp++; else fn++;
            } else {
                if (predicted) fp++; else tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** Counts already-made decisions against the labels. */
    public static ConfusionMatrix of(boolean[] labels, boolean[] predicted) {
        if (labels == null || predicted == null || labels.length != predicted.length) {
            throw new InvalidInputException("labels and predictions must have the same length, got "
                    + (labels == null ? "null" : labels.length) + " and " + (predicted == null ? "null" : predicted.length));
        }
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i]) {
                if (predicted[i]) tp++; else fn++;
            } else {
                if (predicted[i]) fp++; else tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** Number of units counted. */
    public long total() {
        return tp + fp + tn + fn;
    }

    /** Number of truly positive units (TP + FN). */
    public long positives() {
        return tp + fn;
    }

    /** Number of truly negative units (TN + FP). */
    public long negatives() {
        return tn + fp;
    }

    public OptionalDouble accuracy() {
        return ratio(tp + tn, total());
    }

    public OptionalDouble sensitivity() {
        return ratio(tp, tp + fn);
    }

    public OptionalDouble specificity() {
        return ratio(tn, tn + fp);
    }

    public OptionalDouble ppv() {
        return ratio(tp, tp + fp);
    }

    public OptionalDouble npv() {
        return ratio(tn, tn + fn);
    }

    /** F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of PPV and sensitivity. */
    public OptionalDouble f1() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /**
     * The value of a threshold metric.
     *
     * @throws InvalidInputException for {@link ClassificationMetric#AUC}, which needs scores
     */
    public OptionalDouble value(ClassificationMetric metric) {
        return switch (metric) {
            case ACC -> accuracy();
            case SEN -> sensitivity();
            case SPE -> specificity();
            case F1 -> f1();
            case PPV -> ppv();
            case NPV -> npv();
            case AUC -> throw new InvalidInputException("AUC is not defined by a confusion matrix; use ScoredOutcomes.auc()");
        };
    }

    private static OptionalDouble ratio(long numerator, long denominator) {
        return denominator == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) numerator / denominator);
    }
}
