package io.osteo.train.cohort;

/**
 * Ready-made cohort sizes. {@link #SMALL} is for tests and the quick start (1/25 of the paper's
 * patients: about 340 labelled vertebrae and a ~6x unlabelled pool, generated in seconds);
 * {@link #PAPER} has the paper's sizes (about 8,600 labelled vertebrae).
 */
public enum CohortPreset {
    SMALL(0.04),
    PAPER(1.0);

    private final double scale;

    CohortPreset(double scale) {
        this.scale = scale;
    }

    /** The default configuration of this preset with the given seed. */
    public CohortConfig config(long seed) {
        return new CohortConfig(seed, scale, PatchSpec.defaults(), PopulationSpec.defaults(),
                CohortConfig.defaultSites(), AnatomySpec.defaults(), BoneSpec.defaults(), DxaSpec.defaults());
    }

    /** Parses "small" or "paper" (case-insensitive). */
    public static CohortPreset parse(String name) {
        for (CohortPreset p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new io.osteo.api.InvalidInputException("unknown cohort preset '" + name + "' (expected small or paper)");
    }
}
