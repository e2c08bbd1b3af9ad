package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;

/**
 * Operating threshold on a score (higher = more likely osteoporotic) chosen on a validation split
 * by Youden's J = SEN + SPE - 1: the cut-off half-way between the two adjacent distinct
 * validation scores where J is largest (the lowest such cut-off on ties; a vertebra is called
 * positive when its score is at or above the cut-off). Deterministic.
 */
public final class OperatingPoint {

    private OperatingPoint() {}

    /**
     * The Youden cut-off of the scores.
     *
     * @throws InvalidInputException when the validation split lacks a class or a score is not finite
     */
    public static double youden(double[] scores, boolean[] positive) {
        if (scores.length != positive.length || scores.length == 0) {
            throw new InvalidInputException("operating point: " + scores.length + " scores for " + positive.length
                    + " labels");
        }
        int pos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new InvalidInputException("operating point: validation score " + i + " is " + scores[i]);
            }
            pos += positive[i] ? 1 : 0;
        }
        int neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            throw new InvalidInputException("operating point: the validation split has " + pos + " positive and " + neg
                    + " negative vertebrae; Youden's J needs both");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // cut below the lowest score: everything positive, J = 0
        double bestCut = scores[order[0]] - 1;
        double bestJ = 0;
        int fn = 0; // positives below the cut
        int tn = 0; // negatives below the cut
        for (int k = 0; k < order.length; k++) {
            if (positive[order[k]]) fn++; else tn++;
            if (k + 1 < order.length && scores[order[k + 1]] == scores[order[k]]) continue;
            double j = (double) (pos - fn) / pos + (double) tn / neg - 1;
            if (j > bestJ + 1e-12) {
                bestJ = j;
                bestCut = k + 1 < order.length ? 0.5 * (scores[order[k]] + scores[order[k + 1]]) : scores[order[k]] + 1;
            }
        }
        return bestCut;
    }
}
