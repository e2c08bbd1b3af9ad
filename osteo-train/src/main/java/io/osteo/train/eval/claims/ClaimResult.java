package io.osteo.train.eval.claims;

import io.osteo.api.metrics.ConfidenceInterval;
import java.util.Optional;

/**
 * One claim on one scope.
 *
 * @param claim the claim
 * @param scope scope name ("internal test", "external test")
 * @param vertebrae test vertebrae in the scope
 * @param positives positive vertebrae among them
 * @param patients patients in the scope (the bootstrap's clusters)
 * @param minuendSeeds seeds of the minuend method
 * @param subtrahendSeeds seeds of the subtrahend method
 * @param minuendAuc vertebra AUC of the minuend, mean over its seeds
 * @param subtrahendAuc vertebra AUC of the subtrahend, mean over its seeds
 * @param difference {@code minuendAuc - subtrahendAuc}
 * @param interval percentile bootstrap interval of the difference (patients resampled, the same
 *     resample for both methods); empty when fewer than half the replicates define both AUCs
 * @param gates the gate check for claims that need one (empty otherwise or when no gate weights
 *     were given for the minuend)
 * @param verdict the verdict of the pre-declared rules
 * @param reason the rule that decided, in words
 */
public record ClaimResult(Claim claim, String scope, int vertebrae, int positives, int patients, int minuendSeeds,
        int subtrahendSeeds, double minuendAuc, double subtrahendAuc, double difference,
        Optional<ConfidenceInterval> interval, Optional<GateCheck> gates, Verdict verdict, String reason) {}
