package io.osteo.api.metrics;

/**
 * A bootstrap percentile confidence interval.
 *
 * @param lower lower bound (the (1 - level)/2 quantile of the replicates)
 * @param upper upper bound (the (1 + level)/2 quantile)
 * @param level coverage, e.g. 0.95
 * @param replicates replicates in which the statistic was defined and which the interval uses
 * @param undefinedReplicates replicates in which it was undefined (e.g. no positive patient drawn)
 */
public record ConfidenceInterval(double lower, double upper, double level, int replicates, int undefinedReplicates) {}
