package io.osteo.train.eval;

import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.api.metrics.Estimate;
import io.osteo.api.metrics.PairedTTest;
import io.osteo.api.metrics.RocCurve;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One cell row of an evaluation table: a method's metrics on one scope (all sites, one site) at
 * one level. With several seeds, each value is the mean over seeds and its bootstrap interval
 * resamples patients and re-averages over seeds.
 *
 * @param method method name
 * @param scope scope name ("overall", "site A", "external")
 * @param level vertebra or patient
 * @param units number of vertebrae or patients
 * @param positives number of positive units
 * @param metrics every {@link ClassificationMetric} with its interval
 * @param perSeed per-seed point values (seed order as given), empty entries where undefined
 * @param seeds the seeds, in the order of {@code perSeed}
 * @param bmdMae mean absolute BMD error in g/cm^2 (vertebra level, methods with a BMD head; else
 *     an empty estimate)
 * @param versusReference paired t-test of per-unit Brier loss against the reference method; empty
 *     for the reference itself or with fewer than 2 units
 * @param roc ROC curve per seed (same order), empty where a seed's scope has one class only
 */
public record MethodScores(String method, String scope, EvaluationLevel level, int units, int positives,
        Map<ClassificationMetric, Estimate> metrics, List<Map<ClassificationMetric, OptionalDouble>> perSeed,
        List<Long> seeds, Estimate bmdMae, Optional<PairedTTest.Result> versusReference,
        List<Optional<RocCurve>> roc) {

    public MethodScores {
        metrics = Map.copyOf(metrics);
        perSeed = List.copyOf(perSeed);
        seeds = List.copyOf(seeds);
        roc = List.copyOf(roc);
    }

    public Estimate metric(ClassificationMetric m) {
        return metrics.get(m);
    }
}
