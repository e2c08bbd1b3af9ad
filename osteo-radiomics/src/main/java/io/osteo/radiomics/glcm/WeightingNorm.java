package io.osteo.radiomics.glcm;

import io.osteo.api.InvalidInputException;
import java.util.Locale;

/**
 * How PyRadiomics combines the GLCMs of the directions (setting {@code weightingNorm}).
 *
 * <p>{@link #NONE}: features are computed per direction and averaged (PyRadiomics default,
 * {@code weightingNorm=None}). The others sum the per-direction (symmetrised, un-normalised)
 * matrices with weight {@code W = exp(-d^2)}, d the length of the direction's offset in mm under
 * the norm (spacing per axis applied), normalise the sum once, and compute features on that single
 * matrix; {@link #NO_WEIGHTING} uses W = 1.
 */
public enum WeightingNorm {
    NONE("none"),
    NO_WEIGHTING("no_weighting"),
    MANHATTAN("manhattan"),
    EUCLIDEAN("euclidean"),
    INFINITY("infinity");

    private final String pyRadiomicsName;

    WeightingNorm(String pyRadiomicsName) {
        this.pyRadiomicsName = pyRadiomicsName;
    }

    /** The PyRadiomics setting value ({@code "none"} stands for Python's None). */
    public String pyRadiomicsName() {
        return pyRadiomicsName;
    }

    /**
     * Weight of an offset (dx, dy, dz in voxels) for voxel spacing (sx, sy, sz) in mm.
     */
    public double weight(int dx, int dy, int dz, double sx, double sy, double sz) {
        double ax = Math.abs(dx) * sx;
        double ay = Math.abs(dy) * sy;
        double az = Math.abs(dz) * sz;
        return switch (this) {
            case NONE, NO_WEIGHTING -> 1.0;
            case INFINITY -> {
                double m = Math.max(az, Math.max(ay, ax));
                yield Math.exp(-m * m);
            }
            case EUCLIDEAN -> Math.exp(-(az * az + ay * ay + ax * ax));
            case MANHATTAN -> {
                double s = az + ay + ax;
                yield Math.exp(-s * s);
            }
        };
    }

    /** Parses a PyRadiomics name ("none", "no_weighting", "manhattan", "euclidean", "infinity"). */
    public static WeightingNorm parse(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("None")) {
            return NONE;
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (WeightingNorm w : values()) {
            if (w.pyRadiomicsName.equals(n)) {
                return w;
            }
        }
        throw new InvalidInputException("unknown weighting norm '" + name
                + "'; known: none, no_weighting, manhattan, euclidean, infinity");
    }
}
