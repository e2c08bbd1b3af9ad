package io.osteo.train.cohort;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Test-side logistic regression (Newton / IRLS with a small ridge, features standardised on the
 * training data) and the Mann-Whitney ROC AUC. Used by the label-leakage check.
 */
final class Logistic {
    private final double[] mean;
    private final double[] sd;
    private final double[] beta;

    private Logistic(double[] mean, double[] sd, double[] beta) {
        this.mean = mean;
        this.sd = sd;
        this.beta = beta;
    }

    static Logistic fit(double[][] x, boolean[] y) {
        int n = x.length;
        int p = x[0].length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            for (double[] row : x) {
                mean[j] += row[j] / n;
            }
            for (double[] row : x) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
            sd[j] = Math.sqrt(sd[j]) + 1e-12;
        }
        double[] beta = new double[p + 1];
        for (int iter = 0; iter < 50; iter++) {
            RealMatrix h = new Array2DRowRealMatrix(p + 1, p + 1);
            RealVector g = new ArrayRealVector(p + 1);
            for (int i = 0; i < n; i++) {
                double[] z = design(x[i], mean, sd);
                double pr = sigmoid(dot(beta, z));
                double w = pr * (1 - pr);
                for (int a = 0; a <= p; a++) {
                    g.addToEntry(a, (pr - (y[i] ? 1 : 0)) * z[a]);
                    for (int b = 0; b <= p; b++) {
                        h.addToEntry(a, b, w * z[a] * z[b]);
                    }
                }
            }
            for (int a = 1; a <= p; a++) {
                h.addToEntry(a, a, 1e-3 * n);
                g.addToEntry(a, 1e-3 * n * beta[a]);
            }
            RealVector step = new LUDecomposition(h).getSolver().solve(g);
            for (int a = 0; a <= p; a++) {
                beta[a] -= step.getEntry(a);
            }
            if (step.getNorm() < 1e-9) {
                break;
            }
        }
        return new Logistic(mean, sd, beta);
    }

    double score(double[] x) {
        return dot(beta, design(x, mean, sd));
    }

    static double auc(double[] scores, boolean[] y) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        int pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (y[order[k]]) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        int neg = scores.length - pos;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    private static double[] design(double[] x, double[] mean, double[] sd) {
        double[] z = new double[x.length + 1];
        z[0] = 1;
        for (int j = 0; j < x.length; j++) {
            z[j + 1] = (x[j] - mean[j]) / sd[j];
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
