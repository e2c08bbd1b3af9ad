package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Binary truths with the model's scores for the positive class, the input of every metric in
 * this package. Immutable (arrays are copied) and thread-safe.
 */
public final class ScoredOutcomes {

    private final boolean[] labels;
    private final double[] scores;
    private final int positives;

    private ScoredOutcomes(boolean[] labels, double[] scores) {
        this.labels = labels;
        this.scores = scores;
        int p = 0;
        for (boolean l : labels) {
            if (l) p++;
        }
        this.positives = p;
    }

    /**
     * @param labels true classes (true = positive)
     * @param scores finite scores, higher = more likely positive
     * @throws InvalidInputException on different lengths or a NaN/infinite score (names its index)
     */
    public static ScoredOutcomes of(boolean[] labels, double[] scores) {
        validate(labels, scores);
        return new ScoredOutcomes(labels.clone(), scores.clone());
    }

    static void validate(boolean[] labels, double[] scores) {
        if (labels == null || scores == null) {
            throw new InvalidInputException("labels and scores are required, got "
                    + (labels == null ? "no labels" : "no scores"));
        }
        if (labels.length != scores.length) {
            throw new InvalidInputException("labels and scores must have the same length, got "
                    + labels.length + " labels and " + scores.length + " scores");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new InvalidInputException("score " + i + " is " + scores[i] + " (scores must be finite)");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return labels.length - positives;
    }

    /** True when both classes are present, i.e. ROC and AUC are defined. */
    public boolean hasBothClasses() {
        return positives > 0 && positives < labels.length;
    }

    public boolean label(int i) {
        return labels[i];
    }

    public double score(int i) {
        return scores[i];
    }

    public boolean[] labels() {
        return labels.clone();
    }

    public double[] scores() {
        return scores.clone();
    }

    /** Confusion matrix of the decisions {@code score >= threshold}. */
    public ConfusionMatrix confusionAt(double threshold) {
        return ConfusionMatrix.of(labels, scores, threshold);
    }

    /**
     * The ROC curve.
     *
     * @throws InvalidInputException when only one class is present (see {@link #hasBothClasses()})
     */
    public RocCurve roc() {
        return RocCurve.of(labels, scores);
    }

    /** ROC AUC, empty when only one class is present. */
    public OptionalDouble auc() {
        return hasBothClasses() ? OptionalDouble.of(RocCurve.of(labels, scores).auc()) : OptionalDouble.empty();
    }

    /** One metric; threshold metrics use {@code score >= threshold}. */
    public OptionalDouble value(ClassificationMetric metric, double threshold) {
        return metric == ClassificationMetric.AUC ? auc() : confusionAt(threshold).value(metric);
    }

    /** Every metric of {@link ClassificationMetric}, computed once. */
    public Map<ClassificationMetric, OptionalDouble> allMetrics(double threshold) {
        ConfusionMatrix cm = confusionAt(threshold);
        Map<ClassificationMetric, OptionalDouble> out = new EnumMap<>(ClassificationMetric.class);
        for (ClassificationMetric m : ClassificationMetric.values()) {
            out.put(m, m == ClassificationMetric.AUC ? auc() : cm.value(m));
        }
        return out;
    }
}
