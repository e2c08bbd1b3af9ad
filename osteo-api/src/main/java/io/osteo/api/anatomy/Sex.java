package io.osteo.api.anatomy;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * Biological sex as DXA reference databases use it: young-adult reference means and SDs, and
 * therefore T-scores, are sex-specific.
 */
public enum Sex {
    FEMALE,
    MALE;

    /** Short code written in manifests ("F" or "M"). */
    public String code() {
        return this == FEMALE ? "F" : "M";
    }

    /** Parses "F", "M", "female", "male" (case-insensitive). */
    public static Sex parse(String text) {
        if (text == null) {
            throw new InvalidInputException("sex is missing (expected F or M)");
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "F", "FEMALE", "W", "WOMAN" -> FEMALE;
            case "M", "MALE", "MAN" -> MALE;
            default -> throw new InvalidInputException("unknown sex '" + text + "' (expected F or M)");
        };
    }
}
