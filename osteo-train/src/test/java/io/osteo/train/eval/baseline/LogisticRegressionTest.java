package io.osteo.train.eval.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    // x = -1: 1 positive, 3 negative; x = +1: 3 positive, 1 negative. By symmetry b = 0, and the
    // stationarity condition of the penalised mean log-loss in w is sigma(w) - 3/4 + lambda w = 0
    // (without penalty: w = logit(3/4) = ln 3).
    private static final double[][] X = {{-1}, {-1}, {-1}, {-1}, {1}, {1}, {1}, {1}};
    private static final boolean[] Y = {true, false, false, false, true, true, true, false};

    @Test
    void nonSeparableSetMatchesTheClosedFormAndTheBisectedStationaryPoint() {
        LogisticRegression weak = LogisticRegression.fit(X, Y, 1e-9);
        assertThat(weak.weights()[0]).isCloseTo(Math.log(3), within(1e-6));
        assertThat(weak.intercept()).isCloseTo(0, within(1e-9));
        assertThat(weak.probability(new double[] {1})).isCloseTo(0.75, within(1e-6));

        double w = bisect(v -> LogisticRegression.sigmoid(v) - 0.75 + 0.5 * v, -10, 10);
        LogisticRegression m = LogisticRegression.fit(X, Y, 0.5);
        assertThat(w).isBetween(0.3, 0.7); // shrunk from ln 3 = 1.0986
        assertThat(m.weights()[0]).isCloseTo(w, within(1e-9));
        assertThat(m.intercept()).isCloseTo(0, within(1e-9));
    }

    @Test
    void separableSetHasAFiniteRidgeSolution() {
        // x = -1 negative, x = +1 positive: the stationarity condition is lambda w = 1 - sigma(w)
        double[][] x = {{-1}, {1}};
        boolean[] y = {false, true};
        double w = bisect(v -> 0.1 * v - 1 + LogisticRegression.sigmoid(v), 0, 100);
        LogisticRegression m = LogisticRegression.fit(x, y, 0.1);
        assertThat(m.weights()[0]).isCloseTo(w, within(1e-9)).isBetween(1.6, 1.7); // 0.1 * 1.6335 = 1 - sigmoid(1.6335)
        assertThat(m.intercept()).isCloseTo(0, within(1e-9));
    }

    @Test
    void severalFeaturesSatisfyTheStationarityConditionsAndBeatPerturbations() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 200;
        double[][] x = new double[n][3];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = r.nextGaussian();
            double eta = -0.5 + 1.5 * x[i][0] - 1.0 * x[i][1];
            y[i] = r.nextDouble() < LogisticRegression.sigmoid(eta);
        }
        double lambda = 0.01;
        LogisticRegression m = LogisticRegression.fit(x, y, lambda);
        // gradient of (1/n) sum logloss + lambda/2 |w|^2, computed here independently
        double[] g = new double[4];
        double[] w = m.weights();
        for (int i = 0; i < n; i++) {
            double mu = LogisticRegression.sigmoid(m.linearPredictor(x[i]));
            double res = (mu - (y[i] ? 1 : 0)) / n;
            g[0] += res;
            for (int j = 0; j < 3; j++) g[j + 1] += res * x[i][j];
        }
        for (int j = 0; j < 3; j++) g[j + 1] += lambda * w[j];
        for (double v : g) assertThat(v).isCloseTo(0, within(1e-9));
        assertThat(w[0]).isGreaterThan(0.8);
        assertThat(w[1]).isLessThan(-0.5);
        double best = m.objective(x, y);
        for (int j = 0; j < 3; j++) {
            double[] moved = w.clone();
            moved[j] += 0.01;
            assertThat(new LogisticRegression(m.intercept(), moved, lambda, 0).objective(x, y)).isGreaterThan(best);
        }
    }

    @Test
    void badInputIsRejectedByName() {
        assertThatThrownBy(() -> LogisticRegression.fit(X, Y, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lambda > 0");
        assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {2}}, new boolean[] {true, true}, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("both classes");
        assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {Double.NaN}}, new boolean[] {true, false}, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("row 1 feature 0 is NaN");
    }

    @Test
    void youdenCutoffLiesBetweenTheBestSeparatedScores() {
        assertThat(OperatingPoint.youden(new double[] {0.1, 0.2, 0.3, 0.4}, new boolean[] {false, false, true, true}))
                .isCloseTo(0.25, within(1e-12));
        // scores 1..5, labels - + - + +: J = 0.5 at cut 1.5 (SEN 1, SPE 1/2), 1/6 at 2.5, 2/3 at 3.5 (SEN 2/3, SPE 1)
        assertThat(OperatingPoint.youden(new double[] {1, 2, 3, 4, 5}, new boolean[] {false, true, false, true, true}))
                .isCloseTo(3.5, within(1e-12));
    }

    private static double bisect(DoubleUnaryOperator f, double lo, double hi) {
        double flo = f.applyAsDouble(lo);
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            double fm = f.applyAsDouble(mid);
            if ((fm > 0) == (flo > 0)) {
                lo = mid;
                flo = fm;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
