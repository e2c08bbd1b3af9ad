package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;

/**
 * The envelope of a model's training data, recorded in its descriptor at training time, against
 * which the screener checks every input ({@code outOfDistribution} reasons in the report), and
 * the calibration of its level check.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param inPlaneSpacingMm [min, max] in-plane voxel size (mm) of the CTs the training patches came from
 * @param sliceThicknessMm [min, max] slice spacing (mm) of those CTs
 * @param patchMeanHu [p1, p99] over training vertebrae of the mean HU of the network's CT patch (as
 *     the network sees it before the window)
 * @param levels the vertebra levels present in the training data
 * @param validationBmdGcm2 [min, max] of the model's BMD output on validation vertebrae (g/cm^2)
 * @param levelCheckMinProbability the level check fires only when the predicted level's probability is
 *     at least this (calibrated on validation: see {@code LevelCheck}); 1.0 disables it
 * @param levelCheckMinDistance and only when the predicted level is at least this many levels away
 *     from the labelled one
 * @param sourceDescription what the envelope was measured on (cohort, counts)
 */
public record TrainingEnvelope(List<Double> inPlaneSpacingMm, List<Double> sliceThicknessMm, List<Double> patchMeanHu,
        List<VertebraLevel> levels, List<Double> validationBmdGcm2, double levelCheckMinProbability,
        int levelCheckMinDistance, String sourceDescription) {

    /** Relative tolerance on voxel sizes before an input counts as outside (rounding of headers, 0.7 vs 0.75 mm). */
    public static final double SPACING_TOLERANCE = 0.25;

    public TrainingEnvelope {
        inPlaneSpacingMm = range(inPlaneSpacingMm, "in-plane spacing");
        sliceThicknessMm = range(sliceThicknessMm, "slice thickness");
        patchMeanHu = range(patchMeanHu, "patch mean HU");
        validationBmdGcm2 = validationBmdGcm2 == null ? null : range(validationBmdGcm2, "validation BMD");
        levels = levels == null ? List.of() : List.copyOf(levels);
        if (!(levelCheckMinProbability > 0 && levelCheckMinProbability <= 1) || levelCheckMinDistance < 1) {
            throw new InvalidInputException("level check needs a probability in (0, 1] and a distance >= 1, got "
                    + levelCheckMinProbability + ", " + levelCheckMinDistance);
        }
    }

    private static List<Double> range(List<Double> r, String what) {
        if (r == null || r.size() != 2 || !(r.get(0) <= r.get(1)) || !Double.isFinite(r.get(0))
                || !Double.isFinite(r.get(1))) {
            throw new InvalidInputException("training envelope " + what + " must be a finite [min, max], got " + r);
        }
        return List.copyOf(r);
    }

    /** Whether {@code value} lies in the range widened by {@link #SPACING_TOLERANCE} of its ends. */
    public static boolean withinSpacing(List<Double> range, double value) {
        return value >= range.get(0) * (1 - SPACING_TOLERANCE) && value <= range.get(1) * (1 + SPACING_TOLERANCE);
    }
}
