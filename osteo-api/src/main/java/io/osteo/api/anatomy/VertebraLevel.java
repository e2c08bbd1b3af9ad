package io.osteo.api.anatomy;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * A thoracic or lumbar vertebra, T1..T12 then L1..L6 (L6 is a lumbosacral transitional
 * vertebra, present in a minority of people). {@link #position()} is the model's position target:
 * 1..18 from T1 to L6, the ordinal used in the paper's position task.
 */
public enum VertebraLevel {
    T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12,
    L1, L2, L3, L4, L5, L6;

    /** Number of levels, and of classes of the position head (18). */
    public static final int COUNT = 18;

    /** Position 1..18 (T1 = 1, T12 = 12, L1 = 13, L6 = 18). */
    public int position() {
        return ordinal() + 1;
    }

    /** Zero-based class index for the position head (position() - 1). */
    public int classIndex() {
        return ordinal();
    }

    public boolean isLumbar() {
        return ordinal() >= L1.ordinal();
    }

    public boolean isThoracic() {
        return !isLumbar();
    }

    /** Level from its position 1..18. */
    public static VertebraLevel fromPosition(int position) {
        if (position < 1 || position > COUNT) {
            throw new InvalidInputException(
                    "vertebra position " + position + " is outside 1..18 (T1..T12, L1..L6)");
        }
        return values()[position - 1];
    }

    /** Level from a zero-based class index 0..17. */
    public static VertebraLevel fromClassIndex(int index) {
        return fromPosition(index + 1);
    }

    /** Parses "L1", "l1", "T12" (case-insensitive); the message of the error lists valid names. */
    public static VertebraLevel parse(String name) {
        if (name == null) {
            throw new InvalidInputException("vertebra level is missing (expected T1..T12 or L1..L6)");
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "unknown vertebra level '" + name + "' (expected T1..T12 or L1..L6)", e);
        }
    }
}
