package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;

/**
 * Standardisation of the BMD target used in training: the network's BMD output y maps to
 * {@code meanGcm2 + stdGcm2 * y} g/cm^2. {@link #identity()} when the targets were raw g/cm^2.
 *
 * <p>Immutable value; thread-safe.
 */
public record BmdScaling(double meanGcm2, double stdGcm2) {

    public BmdScaling {
        if (!Double.isFinite(meanGcm2) || !(stdGcm2 > 0) || !Double.isFinite(stdGcm2)) {
            throw new InvalidInputException("BMD scaling needs a finite mean and a std > 0, got " + meanGcm2 + ", "
                    + stdGcm2);
        }
    }

    public static BmdScaling identity() {
        return new BmdScaling(0, 1);
    }

    /** Network output -> g/cm^2. */
    public double toGcm2(double output) {
        return meanGcm2 + stdGcm2 * output;
    }

    /** g/cm^2 -> training target. */
    public double toTarget(double gcm2) {
        return (gcm2 - meanGcm2) / stdGcm2;
    }
}
