package io.osteo.api.dxa;

import io.osteo.api.InvalidInputException;

/**
 * Young-adult reference of L1-L4 areal BMD on one device scale, the basis of T-scores.
 *
 * @param mean reference mean, g/cm^2
 * @param sd reference standard deviation, g/cm^2 (positive)
 * @param source where the numbers come from; values we chose ourselves start with "assumption"
 */
public record YoungAdultReference(double mean, double sd, String source) {

    public YoungAdultReference {
        if (!(mean > 0 && mean < 3) || !(sd > 0 && sd < 1)) {
            throw new InvalidInputException("young-adult reference mean " + mean + " g/cm^2, SD " + sd
                    + " g/cm^2 is outside the physical range (mean 0..3, SD 0..1)");
        }
        source = source == null ? "" : source;
    }

    /** True when the values are our assumption rather than a published table. */
    public boolean isAssumption() {
        return source.startsWith("assumption");
    }

    /** T-score of an areal BMD (g/cm^2) measured on the same device scale: (BMD - mean) / SD. */
    public double tScore(double bmd) {
        if (!Double.isFinite(bmd)) {
            throw new InvalidInputException("BMD " + bmd + " g/cm^2 is not a finite number");
        }
        return (bmd - mean) / sd;
    }

    /** The areal BMD (g/cm^2) that has T-score {@code t}. */
    public double bmdAt(double t) {
        return mean + t * sd;
    }
}
