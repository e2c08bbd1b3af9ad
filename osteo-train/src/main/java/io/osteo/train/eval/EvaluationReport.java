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
 * @param threshold decision threshold on the probability
 * @param bootstrapReplicates bootstrap replicates behind the intervals
 * @param bootstrapSeed bootstrap seed
 * @param confidenceLevel interval coverage
 * @param rows all rows
 */
public record EvaluationReport(List<String> methods, List<String> scopes, String referenceMethod, double threshold,
        int bootstrapReplicates, long bootstrapSeed, double confidenceLevel, List<MethodScores> rows) {

    public EvaluationReport {
        methods = List.copyOf(methods);
        scopes = List.copyOf(scopes);
        rows = List.copyOf(rows);
    }

    /** The row of a method on a scope at a level. */
    public MethodScores row(String method, String scope, EvaluationLevel level) {
        return rows.stream().filter(r -> r.method().equals(method) && r.scope().equals(scope) && r.level() == level)
                .findFirst().orElseThrow(() -> new InvalidInputException("no evaluation row for method '" + method
                        + "', scope '" + scope + "', level " + level.label()));
    }
}
