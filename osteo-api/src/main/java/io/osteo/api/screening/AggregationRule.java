package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;

/**
 * Turns per-vertebra decisions into a patient decision. Pluggable: implement it to encode a site's
 * policy. Vertebrae with {@link Decision#NOT_ASSESSED} are ignored; with none assessed the patient is
 * NOT_ASSESSED. Implementations must be stateless (screeners call them from many threads).
 */
public interface AggregationRule {

    /** Short name written into reports ("any-positive"). */
    String name();

    /** The patient decision from the findings of one study. */
    PatientResult aggregate(List<VertebraFinding> findings);

    /** The paper's rule and the default: positive if any assessed vertebra is positive. */
    static AggregationRule anyPositive() {
        return atLeast(1);
    }

    /** Positive if at least {@code k} assessed vertebrae are positive. */
    static AggregationRule atLeast(int k) {
        if (k < 1) {
            throw new InvalidInputException("aggregation rule needs k >= 1 positive vertebrae, got " + k);
        }
        String name = k == 1 ? "any-positive" : "at-least-" + k + "-positive";
        return new AggregationRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PatientResult aggregate(List<VertebraFinding> findings) {
                List<VertebraLevel> assessed = findings.stream()
                        .filter(f -> f.decision() != Decision.NOT_ASSESSED).map(VertebraFinding::level).toList();
                List<VertebraLevel> positive = findings.stream()
                        .filter(f -> f.decision() == Decision.POSITIVE).map(VertebraFinding::level).toList();
                if (assessed.isEmpty()) {
                    return new PatientResult(Decision.NOT_ASSESSED, name, List.of(), List.of());
                }
                return positive.size() >= k
                        ? new PatientResult(Decision.POSITIVE, name, positive, assessed)
                        : new PatientResult(Decision.NEGATIVE, name, assessed, assessed);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
