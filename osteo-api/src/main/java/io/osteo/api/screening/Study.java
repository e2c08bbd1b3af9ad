package io.osteo.api.screening;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One patient's input to a screener: either a CT volume in Hounsfield units with a vertebra label
 * map on the same grid and the {@link LabelScheme} that says what its values mean, or a list of
 * ready {@link VertebraPatch}es. Validated on construction (grid match, finite HU, at least one
 * vertebra), so a screener never starts on unusable input. Immutable and thread-safe.
 */
public final class Study {

    /** Tolerance of the CT/label-map grid check: mm for spacing and origin, unitless for directions. */
    public static final double GRID_TOLERANCE_MM = VertebraPatch.GRID_TOLERANCE;

    private final String id;
    private final Volume ct;
    private final LabelMap labels;
    private final LabelScheme scheme;
    private final List<VertebraPatch> patches;
    private final Sex sex;

    private Study(String id, Volume ct, LabelMap labels, LabelScheme scheme, List<VertebraPatch> patches, Sex sex) {
        this.id = id;
        this.ct = ct;
        this.labels = labels;
        this.scheme = scheme;
        this.patches = patches;
        this.sex = sex;
    }

    /**
     * This study with the patient's sex, which selects the young-adult reference of T-score
     * estimates (without it, the female reference is used and the report says so).
     */
    public Study withSex(Sex sex) {
        return new Study(id, ct, labels, scheme, patches, java.util.Objects.requireNonNull(sex, "sex"));
    }

    /** The patient's sex, if the caller gave it. */
    public Optional<Sex> sex() {
        return Optional.ofNullable(sex);
    }

    /**
     * A whole CT with its vertebra label map.
     *
     * @param id the study's identifier as the caller knows it (written into the report)
     * @param ct CT in Hounsfield units
     * @param labels vertebra labels on the CT's grid
     * @param scheme meaning of the label values
     * @throws InvalidStudyException on a grid mismatch, a NaN/infinite voxel (named), or a label map
     *     without any vertebra of the scheme
     */
    public static Study of(String id, Volume ct, LabelMap labels, LabelScheme scheme) {
        String name = checkId(id);
        if (ct == null || labels == null || scheme == null) {
            throw new InvalidStudyException("study '" + name + "' needs a CT, a label map and a label scheme");
        }
        if (!ct.geometry().sameGrid(labels.geometry(), GRID_TOLERANCE_MM)) {
            throw new InvalidStudyException("study '" + name + "': label map grid " + labels.geometry()
                    + " does not match the CT grid " + ct.geometry());
        }
        try {
            ct.requireFinite("CT of study '" + name + "'");
        } catch (InvalidInputException e) {
            throw new InvalidStudyException(e.getMessage(), e);
        }
        int[] present = labels.presentLabels();
        if (present.length == 0) {
            throw new InvalidStudyException("study '" + name + "': the label map is empty (no non-zero label)");
        }
        boolean anyVertebra = false;
        for (int label : present) {
            LabelScheme.Meaning m = scheme.meaning(label);
            if (m instanceof LabelScheme.Level
                    || (m instanceof LabelScheme.OtherVertebra o && o.reportAsSkipped())) {
                anyVertebra = true;
                break;
            }
        }
        if (!anyVertebra) {
            throw new InvalidStudyException("study '" + name + "': the label map has no T1..L6 vertebra under scheme "
                    + scheme.name() + " (labels present: " + summarise(present) + ")");
        }
        return new Study(name, ct, labels, scheme, List.of(), null);
    }

    /**
     * Ready vertebra crops.
     *
     * @throws InvalidStudyException if the list is empty or names a level twice
     */
    public static Study ofPatches(String id, List<VertebraPatch> patches) {
        String name = checkId(id);
        if (patches == null || patches.isEmpty()) {
            throw new InvalidStudyException("study '" + name + "' has no vertebra patch");
        }
        List<VertebraPatch> copy = new ArrayList<>();
        for (VertebraPatch p : patches) {
            Objects.requireNonNull(p, "patch");
            if (copy.stream().anyMatch(q -> q.level() == p.level())) {
                throw new InvalidStudyException("study '" + name + "' has two patches of " + p.level());
            }
            copy.add(p);
        }
        return new Study(name, null, null, null, List.copyOf(copy), null);
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidStudyException("a study needs a non-blank id");
        }
        return id;
    }

    private static String summarise(int[] labels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(labels.length, 20); i++) {
            sb.append(i == 0 ? "" : ", ").append(labels[i]);
        }
        if (labels.length > 20) {
            sb.append(", ... ").append(labels.length - 20).append(" more");
        }
        return sb.toString();
    }

    public String id() {
        return id;
    }

    /** True for a study of ready patches, false for a whole CT with a label map. */
    public boolean isPatches() {
        return ct == null;
    }

    /** The CT (HU), absent for a study of patches. */
    public Optional<Volume> ct() {
        return Optional.ofNullable(ct);
    }

    /** The vertebra label map, absent for a study of patches. */
    public Optional<LabelMap> labels() {
        return Optional.ofNullable(labels);
    }

    /** The label scheme, absent for a study of patches. */
    public Optional<LabelScheme> scheme() {
        return Optional.ofNullable(scheme);
    }

    /** The ready patches; empty for a whole-CT study. */
    public List<VertebraPatch> patches() {
        return patches;
    }

    @Override
    public String toString() {
        return "Study[" + id + (isPatches() ? ", " + patches.size() + " patches" : ", " + ct.geometry()
                + ", " + scheme.name()) + "]";
    }
}
