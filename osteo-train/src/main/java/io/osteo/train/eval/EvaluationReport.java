package io.osteo.train.eval;

import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * The result of {@link Evaluator#evaluate}: a {@link MethodScores} for every method x scope x
 * level, in method order (as first given) and scope order ("overall", then sites, then custom
 * scopes). Immutable.
 *
 * @param methods method names in table order
 * @param scopes scope names in table order
 * @param referenceMethod the method the paired t-tests compare against
 * @param threshold decision threshold on the probability (of methods without their own)
 * @param bootstrapReplicates bootstrap replicates behind the intervals
 * @param bootstrapSeed bootstrap seed
 * @param confidenceLevel interval coverage
 * @param rows all rows
 * @param methodThresholds methods with their own decision threshold (the others use {@code threshold})
 * @param runThresholds runs with their own decision threshold (method, then seed to threshold; a
 *     seed's packaged model chose it on validation), overriding the method's and the global one
 */
public record EvaluationReport(List<String> methods, List<String> scopes, String referenceMethod, double threshold,
        int bootstrapReplicates, long bootstrapSeed, double confidenceLevel, List<MethodScores> rows,
        java.util.Map<String, Double> methodThresholds, java.util.Map<String, java.util.Map<Long, Double>> runThresholds) {

    public EvaluationReport {
        methods = List.copyOf(methods);
        scopes = List.copyOf(scopes);
        rows = List.copyOf(rows);
        methodThresholds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(methodThresholds));
        java.util.Map<String, java.util.Map<Long, Double>> runs = new java.util.LinkedHashMap<>();
        runThresholds.forEach((m, bySeed) -> runs.put(m, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bySeed))));
        runThresholds = java.util.Collections.unmodifiableMap(runs);
    }

    /** The decision threshold of a method (runs with their own threshold: see {@link #runThresholds}). */
    public double thresholdOf(String method) {
        return methodThresholds.getOrDefault(method, threshold);
    }

    /** The row of a method on a scope at a level. */
    public MethodScores row(String method, String scope, EvaluationLevel level) {
        return rows.stream().filter(r -> r.method().equals(method) && r.scope().equals(scope) && r.level() == level)
                .findFirst().orElseThrow(() -> new InvalidInputException("no evaluation row for method '" + method
                        + "', scope '" + scope + "', level " + level.label()));
    }
}
