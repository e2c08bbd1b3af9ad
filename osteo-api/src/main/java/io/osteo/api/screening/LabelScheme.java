package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the integer values of a vertebra label map mean: which value is which vertebra T1..L6,
 * which values are vertebrae outside the model's range (cervical, sacral, T13: reported as skipped
 * or noted), and which are something else (organs, ribs: ignored with a note in the report).
 *
 * <p>Built-in schemes: {@link #totalSegmentatorV2()}, {@link #verse()}, {@link #binary(VertebraLevel)};
 * anything else through {@link #custom(String, Map)}. Several label values may map to the same level
 * (their voxels are then merged). Immutable and thread-safe.
 */
public final class LabelScheme {

    /** Meaning of one label value. */
    public sealed interface Meaning permits Level, OtherVertebra, NotVertebra {}

    /** The label is vertebra {@code level}, one the model screens. */
    public record Level(VertebraLevel level) implements Meaning {}

    /**
     * The label is a vertebra outside T1..L6 (C1-C7, S1, sacrum, coccyx, T13).
     *
     * @param name anatomical name ("T13", "C7", "S1")
     * @param reportAsSkipped true for a vertebra a user would expect in the thoracolumbar range
     *     (T13): listed among the skipped vertebrae; false (cervical, sacral): only noted
     */
    public record OtherVertebra(String name, boolean reportAsSkipped) implements Meaning {}

    /** The label is not a vertebra in this scheme (an organ, a rib, an unknown value). */
    public record NotVertebra() implements Meaning {}

    private static final NotVertebra NOT_VERTEBRA = new NotVertebra();

    private final String name;
    private final Map<Integer, VertebraLevel> levels;
    private final Map<Integer, OtherVertebra> others;
    private final VertebraLevel anyNonZero;

    private LabelScheme(String name, Map<Integer, VertebraLevel> levels, Map<Integer, OtherVertebra> others,
            VertebraLevel anyNonZero) {
        this.name = name;
        this.levels = Map.copyOf(levels);
        this.others = Map.copyOf(others);
        this.anyNonZero = anyNonZero;
    }

    /**
     * TotalSegmentator v2, task "total": 27 L5, 28 L4, 29 L3, 30 L2, 31 L1, 32 T12, 33 T11 ... 43 T1
     * (thoracic labels count up from T12 to T1); 26 vertebrae_S1, 25 sacrum and 44-50 C7..C1 are noted
     * but not screened; every other value (organs, ribs, vessels) is ignored with a note.
     */
    public static LabelScheme totalSegmentatorV2() {
        Map<Integer, VertebraLevel> levels = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            levels.put(27 + i, VertebraLevel.valueOf("L" + (5 - i)));
        }
        for (int t = 12; t >= 1; t--) {
            levels.put(32 + (12 - t), VertebraLevel.valueOf("T" + t));
        }
        Map<Integer, OtherVertebra> others = new TreeMap<>();
        others.put(25, new OtherVertebra("sacrum", false));
        others.put(26, new OtherVertebra("S1", false));
        for (int c = 7; c >= 1; c--) {
            others.put(44 + (7 - c), new OtherVertebra("C" + c, false));
        }
        return new LabelScheme("totalsegmentator-v2", levels, others, null);
    }

    /**
     * VerSe: 8-19 T1..T12, 20-25 L1..L6; 28 is T13 (a rare supernumerary thoracic vertebra: reported
     * as skipped, the model knows no T13); 1-7 C1..C7, 26 sacrum and 27 coccyx are noted only.
     */
    public static LabelScheme verse() {
        Map<Integer, VertebraLevel> levels = new TreeMap<>();
        for (int t = 1; t <= 12; t++) {
            levels.put(7 + t, VertebraLevel.valueOf("T" + t));
        }
        for (int l = 1; l <= 6; l++) {
            levels.put(19 + l, VertebraLevel.valueOf("L" + l));
        }
        Map<Integer, OtherVertebra> others = new TreeMap<>();
        for (int c = 1; c <= 7; c++) {
            others.put(c, new OtherVertebra("C" + c, false));
        }
        others.put(26, new OtherVertebra("sacrum", false));
        others.put(27, new OtherVertebra("coccyx", false));
        others.put(28, new OtherVertebra("T13", true));
        return new LabelScheme("verse", levels, others, null);
    }

    /** A mask of a single vertebra: every non-zero voxel (1, 255, ...) is {@code level}. */
    public static LabelScheme binary(VertebraLevel level) {
        Objects.requireNonNull(level, "level");
        return new LabelScheme("binary-" + level, Map.of(), Map.of(), level);
    }

    /**
     * A user-supplied mapping from label value to level; unmapped values are ignored with a note.
     *
     * @throws InvalidInputException if the mapping is empty or maps the background value 0
     */
    public static LabelScheme custom(String name, Map<Integer, VertebraLevel> mapping) {
        if (mapping == null || mapping.isEmpty()) {
            throw new InvalidInputException("custom label scheme '" + name + "' maps no label to a vertebra level");
        }
        for (Map.Entry<Integer, VertebraLevel> e : mapping.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidInputException("custom label scheme '" + name + "' has a null label or level");
            }
            if (e.getKey() == 0) {
                throw new InvalidInputException("custom label scheme '" + name + "' maps the background label 0");
            }
        }
        return new LabelScheme(name == null || name.isBlank() ? "custom" : name, mapping, Map.of(), null);
    }

    /**
     * Scheme by CLI name: "totalsegmentator" (or "totalsegmentator-v2", "ts"), "verse"; "binary"
     * needs the level of the vertebra.
     */
    public static LabelScheme parse(String scheme, VertebraLevel binaryLevel) {
        String key = scheme == null ? "" : scheme.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (key) {
            case "totalsegmentator", "totalsegmentator-v2", "totalsegmentator_v2", "ts" -> totalSegmentatorV2();
            case "verse" -> verse();
            case "binary" -> {
                if (binaryLevel == null) {
                    throw new InvalidInputException("label scheme 'binary' needs the vertebra level (e.g. L1)");
                }
                yield binary(binaryLevel);
            }
            default -> throw new InvalidInputException(
                    "unknown label scheme '" + scheme + "' (expected totalsegmentator, verse or binary)");
        };
    }

    /** Short name of the scheme, as written in reports ("totalsegmentator-v2", "verse", "binary-L1"). */
    public String name() {
        return name;
    }

    /** What {@code label} means; 0 (background) is {@link NotVertebra}. */
    public Meaning meaning(int label) {
        if (label == 0) {
            return NOT_VERTEBRA;
        }
        if (anyNonZero != null) {
            return new Level(anyNonZero);
        }
        VertebraLevel level = levels.get(label);
        if (level != null) {
            return new Level(level);
        }
        OtherVertebra other = others.get(label);
        return other != null ? other : NOT_VERTEBRA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelScheme s && name.equals(s.name) && levels.equals(s.levels) && others.equals(s.others)
                && Objects.equals(anyNonZero, s.anyNonZero);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, levels, others, anyNonZero);
    }

    @Override
    public String toString() {
        return "LabelScheme[" + name + "]";
    }
}
