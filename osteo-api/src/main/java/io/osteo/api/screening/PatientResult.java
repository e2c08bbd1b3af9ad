package io.osteo.api.screening;

import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;
import java.util.Objects;

/**
 * The patient-level decision.
 *
 * @param decision POSITIVE, NEGATIVE, or NOT_ASSESSED when no vertebra could be assessed
 * @param rule name of the aggregation rule ("any-positive")
 * @param drivenBy the vertebrae that made the decision (the positive ones for a positive patient,
 *     all assessed ones for a negative patient)
 * @param assessed the vertebrae the rule looked at
 */
public record PatientResult(Decision decision, String rule, List<VertebraLevel> drivenBy,
        List<VertebraLevel> assessed) {
    public PatientResult {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(rule, "rule");
        drivenBy = drivenBy == null ? List.of() : List.copyOf(drivenBy);
        assessed = assessed == null ? List.of() : List.copyOf(assessed);
    }
}
