package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealVector;

/**
 * A fitted L2-regularised binary logistic regression, {@code P(y = 1 | x) = sigmoid(b + w . x)}.
 *
 * <p>{@link #fit} minimises the penalised mean log-loss
 * {@code (1/n) sum_i [log(1 + exp(eta_i)) - y_i eta_i] + (lambda / 2) |w|^2} with
 * {@code eta_i = b + w . x_i}; the intercept {@code b} is not penalised. The objective is strictly
 * convex for {@code lambda > 0}, so the minimum exists and is unique even on separable data. It is
 * found by Newton's method (iteratively reweighted least squares) with step halving, solving each
 * Newton system by a Cholesky decomposition (Commons Math). No randomness: the same data give the
 * same coefficients bit for bit. Immutable.
 *
 * @param intercept b
 * @param weights w, one per feature (in the units of the features given to {@link #fit})
 * @param lambda the L2 strength it was fitted with
 * @param iterations Newton iterations used
 */
public record LogisticRegression(double intercept, double[] weights, double lambda, int iterations) {

    private static final int MAX_ITERATIONS = 100;
    private static final double GRADIENT_TOLERANCE = 1e-10;

    public LogisticRegression {
        weights = weights.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The linear predictor {@code b + w . x} (log-odds). */
    public double linearPredictor(double[] x) {
        if (x.length != weights.length) {
            throw new InvalidInputException("logistic regression has " + weights.length + " features, got a row of "
                    + x.length);
        }
        double eta = intercept;
        for (int j = 0; j < x.length; j++) {
            eta += weights[j] * x[j];
        }
        return eta;
    }

    /** {@code P(y = 1 | x)}. */
    public double probability(double[] x) {
        return sigmoid(linearPredictor(x));
    }

    /** The logistic function, evaluated without overflow. */
    public static double sigmoid(double eta) {
        if (eta >= 0) {
            return 1 / (1 + Math.exp(-eta));
        }
        double e = Math.exp(eta);
        return e / (1 + e);
    }

    /**
     * Fits the model.
     *
     * @param x n rows of p finite features (standardise them first so one lambda suits all)
     * @param y n labels, both classes present
     * @param lambda L2 strength, {@code > 0}
     * @throws InvalidInputException on empty, ragged or non-finite input, one class only, or
     *     {@code lambda <= 0}
     */
    public static LogisticRegression fit(double[][] x, boolean[] y, double lambda) {
        int n = checkInput(x, y, lambda);
        int p = x[0].length;
        int d = p + 1; // parameter vector theta = (b, w)
        double[] theta = new double[d];
        int positives = 0;
        for (boolean label : y) positives += label ? 1 : 0;
        theta[0] = Math.log((double) positives / (n - positives)); // start at the prevalence
        double objective = objective(x, y, lambda, theta);
        for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[d];
            double[][] hessian = new double[d][d];
            for (int i = 0; i < n; i++) {
                double mu = sigmoid(eta(theta, x[i]));
                double r = (mu - (y[i] ? 1 : 0)) / n;
                double w = mu * (1 - mu) / n;
                gradient[0] += r;
                hessian[0][0] += w;
                for (int j = 0; j < p; j++) {
                    double xj = x[i][j];
                    gradient[j + 1] += r * xj;
                    hessian[0][j + 1] += w * xj;
                    for (int k = j; k < p; k++) {
                        hessian[j + 1][k + 1] += w * xj * x[i][k];
                    }
                }
            }
            for (int j = 1; j < d; j++) {
                gradient[j] += lambda * theta[j];
                hessian[j][j] += lambda;
                for (int k = 0; k < j; k++) {
                    hessian[j][k] = hessian[k][j];
                }
            }
            if (maxAbs(gradient) < GRADIENT_TOLERANCE) {
                return new LogisticRegression(theta[0], java.util.Arrays.copyOfRange(theta, 1, d), lambda, iteration - 1);
            }
            RealVector step;
            try {
                step = new CholeskyDecomposition(new Array2DRowRealMatrix(hessian, false), 1e-14, 1e-300).getSolver()
                        .solve(new ArrayRealVector(gradient, false));
            } catch (NonPositiveDefiniteMatrixException e) {
                throw new OsteoException("logistic regression (lambda " + lambda + "): the Newton system is not positive "
                        + "definite at iteration " + iteration + " (features with huge values?)", e);
            }
            double t = 1;
            double[] next = new double[d];
            double nextObjective;
            do { // step halving: the objective must not increase
                for (int j = 0; j < d; j++) next[j] = theta[j] - t * step.getEntry(j);
                nextObjective = objective(x, y, lambda, next);
                t /= 2;
            } while (nextObjective > objective + 1e-15 * Math.abs(objective) && t > 1e-12);
            if (nextObjective > objective + 1e-15 * Math.abs(objective)) {
                // no descent possible in floating point: converged as far as the data allow
                return new LogisticRegression(theta[0], java.util.Arrays.copyOfRange(theta, 1, d), lambda, iteration);
            }
            theta = next.clone();
            objective = nextObjective;
        }
        return new LogisticRegression(theta[0], java.util.Arrays.copyOfRange(theta, 1, d), lambda, MAX_ITERATIONS);
    }

    /** The penalised mean log-loss at these coefficients (what {@link #fit} minimises). */
    public double objective(double[][] x, boolean[] y) {
        double[] theta = new double[weights.length + 1];
        theta[0] = intercept;
        System.arraycopy(weights, 0, theta, 1, weights.length);
        return objective(x, y, lambda, theta);
    }

    private static double objective(double[][] x, boolean[] y, double lambda, double[] theta) {
        double loss = 0;
        for (int i = 0; i < x.length; i++) {
            double e = eta(theta, x[i]);
            // log(1 + exp(e)) - y e, stable for large |e|
            loss += (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e))) - (y[i] ? e : 0);
        }
        double penalty = 0;
        for (int j = 1; j < theta.length; j++) penalty += theta[j] * theta[j];
        return loss / x.length + 0.5 * lambda * penalty;
    }

    private static double eta(double[] theta, double[] row) {
        double e = theta[0];
        for (int j = 0; j < row.length; j++) e += theta[j + 1] * row[j];
        return e;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double a : v) m = Math.max(m, Math.abs(a));
        return m;
    }

    private static int checkInput(double[][] x, boolean[] y, double lambda) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new InvalidInputException("logistic regression needs an L2 strength lambda > 0, got " + lambda);
        }
        if (x == null || y == null || x.length == 0 || x.length != y.length) {
            throw new InvalidInputException("logistic regression needs as many labels as rows, got "
                    + (x == null ? "no" : x.length) + " rows and " + (y == null ? "no" : y.length) + " labels");
        }
        int p = x[0].length;
        int positives = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != p) {
                throw new InvalidInputException("logistic regression row " + i + " has " + x[i].length
                        + " features, row 0 has " + p);
            }
            for (int j = 0; j < p; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new InvalidInputException("logistic regression row " + i + " feature " + j + " is " + x[i][j]);
                }
            }
            positives += y[i] ? 1 : 0;
        }
        if (positives == 0 || positives == x.length) {
            throw new InvalidInputException("logistic regression needs both classes, got " + positives + " positive of "
                    + x.length);
        }
        return x.length;
    }
}
