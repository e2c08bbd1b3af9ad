package io.osteo.train.eval.claims;

import java.util.List;

/**
 * The claims table: every claim on every scope, with the rules' parameters.
 *
 * @param results claim-major, scopes in the order given
 * @param replicates bootstrap replicates
 * @param seed bootstrap seed
 * @param level interval coverage (0.95)
 * @param margin refutation margin on the AUC difference (0.01)
 * @param gateThreshold total-variation threshold for "gate weights differ by device"
 * @param gateWeights every per-device gate weight given to the analysis
 */
public record ClaimsReport(List<ClaimResult> results, int replicates, long seed, double level, double margin,
        double gateThreshold, List<DeviceGateWeights> gateWeights) {
    public ClaimsReport {
        results = List.copyOf(results);
        gateWeights = List.copyOf(gateWeights);
    }
}
