package io.osteo.train.eval;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.util.OptionalDouble;

/**
 * A method's output for one labelled vertebra of the test set, with the truth.
 *
 * @param patientId patient identifier (non-blank)
 * @param site acquisition site ("A", "D"), non-blank
 * @param level vertebra level
 * @param device DXA device whose measurement gave the label
 * @param positive true class: osteoporosis (T-score <= -2.5 on that device)
 * @param probability predicted probability of osteoporosis, in [0, 1]
 * @param predictedBmd predicted areal BMD in g/cm^2 on the device's scale; empty for methods
 *     without a BMD head
 * @param trueBmd measured areal BMD in g/cm^2; empty when unknown
 */
public record VertebraPrediction(String patientId, String site, VertebraLevel level, DxaDevice device,
        boolean positive, double probability, OptionalDouble predictedBmd, OptionalDouble trueBmd) {

    public VertebraPrediction {
        if (patientId == null || patientId.isBlank()) {
            throw new InvalidInputException("vertebra prediction without a patient id");
        }
        if (site == null || site.isBlank()) {
            throw new InvalidInputException("vertebra prediction of patient " + patientId + " without a site");
        }
        if (level == null || device == null) {
            throw new InvalidInputException("vertebra prediction of patient " + patientId + " without "
                    + (level == null ? "a level" : "a DXA device"));
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new InvalidInputException("probability " + probability + " of patient " + patientId + " " + level
                    + " is outside [0, 1]");
        }
        predictedBmd = checkBmd(predictedBmd, "predicted", patientId, level);
        trueBmd = checkBmd(trueBmd, "true", patientId, level);
    }

    /** Identifies the vertebra across methods: "patientId/level". */
    public String unitKey() {
        return patientId + "/" + level;
    }

    private static OptionalDouble checkBmd(OptionalDouble bmd, String what, String patientId, VertebraLevel level) {
        if (bmd == null) {
            return OptionalDouble.empty();
        }
        if (bmd.isPresent() && !Double.isFinite(bmd.getAsDouble())) {
            throw new InvalidInputException(what + " BMD of patient " + patientId + " " + level + " is "
                    + bmd.getAsDouble() + " (must be finite g/cm^2)");
        }
        return bmd;
    }
}
