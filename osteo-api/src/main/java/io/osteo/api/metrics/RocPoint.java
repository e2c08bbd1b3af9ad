package io.osteo.api.metrics;

/**
 * One operating point of a ROC curve: deciding positive when {@code score >= threshold} gives
 * these rates. The first point of a curve has threshold +infinity (nothing positive).
 *
 * @param threshold decision threshold on the score scale (+infinity for the origin point)
 * @param falsePositiveRate 1 - specificity, in [0, 1]
 * @param truePositiveRate sensitivity, in [0, 1]
 */
public record RocPoint(double threshold, double falsePositiveRate, double truePositiveRate) {}
