package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * How a model's decision threshold is chosen on validation data: Youden's J (the ROC point that
 * maximises sensitivity + specificity - 1), the highest threshold that reaches a sensitivity target,
 * or a fixed value. Thresholds are on the probability scale; ties at the same J keep the higher
 * threshold (fewer positives). Immutable value; thread-safe.
 *
 * @param rule which rule
 * @param value the sensitivity target (for {@link Rule#SENSITIVITY}, in (0, 1]) or the fixed
 *     threshold (for {@link Rule#FIXED}, in (0, 1)); unused for Youden
 */
public record OperatingThreshold(Rule rule, double value) {

    /** The rule kinds. */
    public enum Rule { YOUDEN, SENSITIVITY, FIXED }

    public OperatingThreshold {
        if (rule == null) throw new InvalidInputException("threshold rule is missing");
        if (rule == Rule.SENSITIVITY && !(value > 0 && value <= 1)) {
            throw new InvalidInputException("sensitivity target must be in (0, 1], got " + value);
        }
        if (rule == Rule.FIXED && !(value > 0 && value < 1)) {
            throw new InvalidInputException("fixed threshold must be in (0, 1), got " + value);
        }
    }

    /** Youden's J on the validation ROC curve. */
    public static OperatingThreshold youden() {
        return new OperatingThreshold(Rule.YOUDEN, Double.NaN);
    }

    /** The highest threshold whose validation sensitivity is at least {@code target}. */
    public static OperatingThreshold sensitivity(double target) {
        return new OperatingThreshold(Rule.SENSITIVITY, target);
    }

    /** A fixed threshold, validation ignored. */
    public static OperatingThreshold fixed(double threshold) {
        return new OperatingThreshold(Rule.FIXED, threshold);
    }

    /** "youden", "sensitivity:0.9" or a number in (0, 1). */
    public static OperatingThreshold parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("youden")) return youden();
            if (s.startsWith("sensitivity:")) return sensitivity(Double.parseDouble(s.substring("sensitivity:".length())));
            return fixed(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("cannot parse threshold rule '" + text
                    + "' (expected youden, sensitivity:<0..1> or a probability in (0, 1))");
        }
    }

    /**
     * The threshold for these validation outcomes (scores = probabilities).
     *
     * @throws InvalidInputException when a data-driven rule gets outcomes without both classes
     */
    public double choose(ScoredOutcomes validation) {
        if (rule == Rule.FIXED) return value;
        if (!validation.hasBothClasses()) {
            throw new InvalidInputException("choosing a threshold by " + this + " needs positive and negative validation"
                    + " vertebrae; got " + validation.positives() + " positive, " + validation.negatives() + " negative");
        }
        double best = Double.NaN;
        double bestJ = Double.NEGATIVE_INFINITY;
        for (RocPoint p : validation.roc().points()) {
            if (Double.isInfinite(p.threshold())) continue;
            if (rule == Rule.YOUDEN) {
                double j = p.truePositiveRate() - p.falsePositiveRate();
                if (j > bestJ) { // points come in decreasing threshold: strict > keeps the higher one on ties
                    bestJ = j;
                    best = p.threshold();
                }
            } else if (p.truePositiveRate() >= value) {
                return clamp(p.threshold());
            }
        }
        return clamp(best);
    }

    private static double clamp(double t) {
        return Math.min(1 - 1e-9, Math.max(1e-9, t));
    }

    @Override
    public String toString() {
        return switch (rule) {
            case YOUDEN -> "youden";
            case SENSITIVITY -> "sensitivity:" + value;
            case FIXED -> Double.toString(value);
        };
    }
}
