package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Empirical ROC curve of scores against binary labels. Immutable, thread-safe.
 *
 * <p>Points run from (0, 0) at threshold +infinity to (1, 1) at the lowest score; there is one
 * point per <em>distinct</em> score, so tied scores move the curve diagonally in one step (as the
 * decision {@code score >= t} cannot separate them). The AUC is the trapezoid area under these
 * points, which equals the Mann-Whitney statistic U / (n+ n-) with ties counting 1/2.
 */
public final class RocCurve {

    private final List<RocPoint> points;
    private final double auc;
    private final int positives;
    private final int negatives;

    private RocCurve(List<RocPoint> points, int positives, int negatives) {
        this.points = Collections.unmodifiableList(points);
        this.positives = positives;
        this.negatives = negatives;
        double area = 0;
        for (int i = 1; i < points.size(); i++) {
            RocPoint a = points.get(i - 1);
            RocPoint b = points.get(i);
            area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
        }
        this.auc = area;
    }

    /**
     * @throws InvalidInputException on invalid input (see {@link ScoredOutcomes#of}) or when only
     *     one class is present (rates would divide by zero)
     */
    public static RocCurve of(boolean[] labels, double[] scores) {
        ScoredOutcomes.validate(labels, scores);
        int n = labels.length;
        int pos = 0;
        for (boolean l : labels) {
            if (l) pos++;
        }
        int neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new InvalidInputException("ROC needs at least one positive and one negative unit, got "
                    + pos + " positive and " + neg + " negative");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<RocPoint> pts = new ArrayList<>();
        pts.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
        int tp = 0, fp = 0;
        int i = 0;
        while (i < n) {
            double t = scores[order[i]];
            // consume the whole group of tied scores before emitting a point
            while (i < n && scores[order[i]] == t) {
                if (labels[order[i]]) tp++; else fp++;
                i++;
            }
            pts.add(new RocPoint(t, (double) fp / neg, (double) tp / pos));
        }
        return new RocCurve(pts, pos, neg);
    }

    /** Points from (0, 0) to (1, 1), thresholds strictly decreasing. */
    public List<RocPoint> points() {
        return points;
    }

    /** Area under the curve in [0, 1]. */
    public double auc() {
        return auc;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }
}
