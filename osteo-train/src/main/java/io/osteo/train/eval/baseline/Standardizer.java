package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;

/**
 * Feature standardisation fitted on a training split: {@code z = (x - mean) / sd} per column, with
 * the mean and (population) SD of the finite training values. A non-finite value (an undefined
 * GLCM feature of a flat ROI) becomes 0, the training mean; a column that is constant on the
 * training split becomes 0 everywhere (it carries no information the model could learn). Immutable.
 *
 * @param mean per-column training mean, in the column's units
 * @param sd per-column training SD (0 for a constant column)
 */
public record Standardizer(double[] mean, double[] sd) {

    public Standardizer {
        mean = mean.clone();
        sd = sd.clone();
    }

    /** Fits means and SDs on the training rows. */
    public static Standardizer fit(double[][] rows) {
        if (rows == null || rows.length == 0) {
            throw new InvalidInputException("standardisation needs at least one training row");
        }
        int p = rows[0].length;
        double[] mean = new double[p];
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            double sum = 0;
            int n = 0;
            for (double[] r : rows) {
                if (r.length != p) {
                    throw new InvalidInputException("standardisation: rows have " + r.length + " and " + p + " features");
                }
                if (Double.isFinite(r[j])) {
                    sum += r[j];
                    n++;
                }
            }
            mean[j] = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (double[] r : rows) {
                if (Double.isFinite(r[j])) ss += (r[j] - mean[j]) * (r[j] - mean[j]);
            }
            sd[j] = n == 0 ? 0 : Math.sqrt(ss / n);
        }
        return new Standardizer(mean, sd);
    }

    /** The standardised copy of one row. */
    public double[] apply(double[] row) {
        if (row.length != mean.length) {
            throw new InvalidInputException("standardisation fitted on " + mean.length + " features, got " + row.length);
        }
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = Double.isFinite(row[j]) && sd[j] > 1e-12 * Math.max(1, Math.abs(mean[j])) ? (row[j] - mean[j]) / sd[j] : 0;
        }
        return z;
    }

    /** The standardised copy of every row. */
    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = apply(rows[i]);
        return out;
    }
}
