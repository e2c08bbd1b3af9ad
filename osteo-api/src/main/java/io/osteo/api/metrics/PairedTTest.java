package io.osteo.api.metrics;

import io.osteo.api.InvalidInputException;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Two-sided paired t-test between two methods over matched units (the same vertebrae or patients,
 * in the same order), as in the paper's method comparisons. Uses Commons Math {@link TTest}.
 * Stateless.
 */
public final class PairedTTest {

    private PairedTTest() {}

    /**
     * Result of a paired t-test.
     *
     * @param n number of pairs
     * @param meanDifference mean of a - b
     * @param t t statistic, empty when the differences have zero variance (t undefined)
     * @param pValue two-sided p-value, empty when t is undefined
     */
    public record Result(int n, double meanDifference, OptionalDouble t, OptionalDouble pValue) {}

    /**
     * Tests H0: mean(a - b) = 0.
     *
     * @param a per-unit values of method A (finite)
     * @param b per-unit values of method B, same units in the same order
     * @throws InvalidInputException for different lengths, fewer than 2 pairs or non-finite values
     */
    public static Result test(double[] a, double[] b) {
        if (a == null || b == null || a.length != b.length) {
            throw new InvalidInputException("paired t-test needs two samples of the same length, got "
                    + (a == null ? "null" : a.length) + " and " + (b == null ? "null" : b.length));
        }
        if (a.length < 2) {
            throw new InvalidInputException("paired t-test needs at least 2 pairs, got " + a.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new InvalidInputException("paired t-test value " + i + " is not finite (" + a[i] + ", " + b[i] + ")");
            }
            d[i] = a[i] - b[i];
        }
        double mean = StatUtils.mean(d);
        if (StatUtils.variance(d) == 0) {
            return new Result(a.length, mean, OptionalDouble.empty(), OptionalDouble.empty());
        }
        TTest test = new TTest();
        return new Result(a.length, mean, OptionalDouble.of(test.pairedT(a, b)), OptionalDouble.of(test.pairedTTest(a, b)));
    }
}
