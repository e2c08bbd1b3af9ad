package io.osteo.api.dxa;

import io.osteo.api.InvalidInputException;

/**
 * WHO diagnostic categories from a DXA T-score: normal T >= -1.0, osteopenia -2.5 < T < -1.0,
 * osteoporosis T <= -2.5.
 */
public enum WhoCategory {
    NORMAL,
    OSTEOPENIA,
    OSTEOPOROSIS;

    /** T-score at or below which a measurement is osteoporotic. */
    public static final double OSTEOPOROSIS_T_SCORE = -2.5;
    /** T-score below which a measurement is at least osteopenic. */
    public static final double OSTEOPENIA_T_SCORE = -1.0;

    /** Category of a T-score. */
    public static WhoCategory of(double tScore) {
        if (!Double.isFinite(tScore)) {
            throw new InvalidInputException("T-score " + tScore + " is not a finite number");
        }
        if (tScore <= OSTEOPOROSIS_T_SCORE) {
            return OSTEOPOROSIS;
        }
        return tScore < OSTEOPENIA_T_SCORE ? OSTEOPENIA : NORMAL;
    }

    /** True for the binary screening label (osteoporosis vs not). */
    public static boolean isOsteoporosis(double tScore) {
        return of(tScore) == OSTEOPOROSIS;
    }
}
