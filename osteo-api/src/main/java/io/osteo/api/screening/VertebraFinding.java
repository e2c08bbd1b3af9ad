package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The screening result of one vertebra. Numbers a screener does not produce are null, and
 * {@link #unavailable()} then says why (key = field name): a report never holds NaN.
 *
 * @param level the vertebra level according to the label map
 * @param labels its label values in the input label map (empty for patches)
 * @param probability model probability of osteoporosis, 0..1 (null for the HU baseline)
 * @param decision decision at the operating point ({@link Decision#NOT_ASSESSED} when this screener
 *     did not use the vertebra)
 * @param estimatedBmd estimated areal BMD, g/cm^2, in the report's DXA device scale
 * @param estimatedTScore T-score estimate against the report device's young-adult reference
 * @param trabecularHu attenuation of the eroded vertebral body (HU)
 * @param predictedLevel the level the model believes it sees
 * @param levelDisagreement true when the model confidently places the vertebra elsewhere than the label map
 *     says (a calibrated check for labelling errors: see the screener's documentation of when it fires)
 * @param unavailable field name -> reason, for every null field above
 * @param predictedLevelProbability the model's probability of {@code predictedLevel} (0..1), or null
 * @param outOfDistribution each way this vertebra's input lies outside the model's training envelope
 *     (empty: inside, or the screener has no envelope to compare with)
 */
public record VertebraFinding(VertebraLevel level, List<Integer> labels, Double probability, Decision decision,
        Double estimatedBmd, Double estimatedTScore, TrabecularHu trabecularHu, VertebraLevel predictedLevel,
        Boolean levelDisagreement, Map<String, String> unavailable, Double predictedLevelProbability,
        List<String> outOfDistribution) {

    /** A finding without level probability and without out-of-distribution reasons (schema 1.0 fields only). */
    public VertebraFinding(VertebraLevel level, List<Integer> labels, Double probability, Decision decision,
            Double estimatedBmd, Double estimatedTScore, TrabecularHu trabecularHu, VertebraLevel predictedLevel,
            Boolean levelDisagreement, Map<String, String> unavailable) {
        this(level, labels, probability, decision, estimatedBmd, estimatedTScore, trabecularHu, predictedLevel,
                levelDisagreement, unavailable, null, List.of());
    }

    public VertebraFinding {
        outOfDistribution = outOfDistribution == null ? List.of() : List.copyOf(outOfDistribution);
        if (predictedLevelProbability != null && !(predictedLevelProbability >= 0 && predictedLevelProbability <= 1)) {
            throw new InvalidInputException(level + ": predicted level probability " + predictedLevelProbability
                    + " is outside 0..1");
        }
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(decision, "decision");
        labels = labels == null ? List.of() : List.copyOf(labels);
        unavailable = Collections.unmodifiableSortedMap(new TreeMap<>(unavailable == null ? Map.of() : unavailable));
        if (probability != null && !(probability >= 0 && probability <= 1)) {
            throw new InvalidInputException(level + ": probability " + probability + " is outside 0..1");
        }
        finite(level, "estimatedBmd", estimatedBmd);
        finite(level, "estimatedTScore", estimatedTScore);
        if ((predictedLevel == null) != (levelDisagreement == null)) {
            throw new InvalidInputException(level + ": predictedLevel and levelDisagreement must both be present or absent");
        }
        requireReason(level, unavailable, "probability", probability);
        requireReason(level, unavailable, "estimatedBmd", estimatedBmd);
        requireReason(level, unavailable, "estimatedTScore", estimatedTScore);
        requireReason(level, unavailable, "trabecularHu", trabecularHu);
        requireReason(level, unavailable, "predictedLevel", predictedLevel);
    }

    private static void finite(VertebraLevel level, String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new InvalidInputException(level + ": " + field + " is " + value + " (a report holds no NaN/Inf)");
        }
    }

    private static void requireReason(VertebraLevel level, Map<String, String> unavailable, String field, Object value) {
        if (value == null && !unavailable.containsKey(field)) {
            throw new InvalidInputException(level + ": " + field + " is absent without a reason in 'unavailable'");
        }
    }
}
