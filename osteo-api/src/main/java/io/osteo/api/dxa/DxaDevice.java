package io.osteo.api.dxa;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * DXA scanner families whose lumbar areal BMD scales (g/cm^2) differ systematically for the same
 * patient. {@link #UNKNOWN} is the device id used at inference when no device is known; it has no
 * calibration of its own.
 *
 * <p>Sources (see {@code shared/specs/clinical-facts.md}): Hui et al. 1997 sBMD equations for
 * Hologic and GE Lunar; MEDIX has no published cross-calibration and its scale is an
 * <b>assumption</b> (MEDIX = 1.04 x Hologic + 0.01).
 */
public enum DxaDevice {
    HOLOGIC,
    GE_LUNAR,
    MEDIX,
    UNKNOWN;

    /** Number of ids of the model's device embedding table (including UNKNOWN). */
    public static final int EMBEDDING_COUNT = values().length;

    /** Id in the model's device embedding table. */
    public int embeddingIndex() {
        return ordinal();
    }

    /** Parses "HOLOGIC", "ge_lunar", "GE-LUNAR", "medix" (case-insensitive, '-' or ' ' as '_'). */
    public static DxaDevice parse(String name) {
        if (name == null) {
            throw new InvalidInputException("DXA device is missing (expected HOLOGIC, GE_LUNAR, MEDIX or UNKNOWN)");
        }
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "unknown DXA device '" + name + "' (expected HOLOGIC, GE_LUNAR, MEDIX or UNKNOWN)", e);
        }
    }

    /** Parses an embedding index back to the device. */
    public static DxaDevice fromEmbeddingIndex(int index) {
        if (index < 0 || index >= EMBEDDING_COUNT) {
            throw new InvalidInputException("DXA device index " + index + " is outside 0.." + (EMBEDDING_COUNT - 1));
        }
        return values()[index];
    }
}
