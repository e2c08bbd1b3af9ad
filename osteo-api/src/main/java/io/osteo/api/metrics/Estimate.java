package io.osteo.api.metrics;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A metric value with its bootstrap confidence interval. Either may be undefined (empty): the value
 * when its denominator is zero on the full data, the interval when too few bootstrap replicates
 * define the statistic.
 *
 * @param value point estimate on the full data
 * @param interval confidence interval
 */
public record Estimate(OptionalDouble value, Optional<ConfidenceInterval> interval) {

    /** "0.812 (0.781-0.843)", "0.812" without interval, "n/a" without value. */
    public String format(int decimals) {
        if (value.isEmpty()) {
            return "n/a";
        }
        String f = "%." + decimals + "f";
        String v = String.format(Locale.ROOT, f, value.getAsDouble());
        return interval.map(ci -> v + " (" + String.format(Locale.ROOT, f, ci.lower()) + "-"
                + String.format(Locale.ROOT, f, ci.upper()) + ")").orElse(v);
    }
}
