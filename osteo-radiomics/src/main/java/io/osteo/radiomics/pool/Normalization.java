package io.osteo.radiomics.pool;

import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * Per-channel intensity normalisation of a texture pool, applied as {@code (x - center) / scale}
 * to every channel (original image first, then one per feature, in the pool's channel order).
 *
 * <ul>
 *   <li>{@link Kind#NONE}: raw values (HU for the original, feature units for the maps).</li>
 *   <li>{@link Kind#ZSCORE_ROI}: center = mean and scale = population standard deviation of the
 *       channel over the ROI voxels that have a value, computed per patch (scale 1 where the
 *       standard deviation is 0). Deterministic: the same patch gives the same numbers at training
 *       and inference; the statistics actually used are recorded in
 *       {@link TexturePoolResult#scales()}.</li>
 *   <li>{@link Kind#FIXED}: the given center/scale per channel (e.g. cohort statistics from
 *       training), so every patch is mapped identically.</li>
 * </ul>
 *
 * Immutable; Gson-serialisable as part of {@link TexturePoolSettings}.
 *
 * @param kind the scheme
 * @param fixed per-channel scales for {@link Kind#FIXED} (one per channel), empty otherwise
 */
public record Normalization(Kind kind, List<ChannelScale> fixed) {

    /** The normalisation schemes. */
    public enum Kind {
        NONE,
        ZSCORE_ROI,
        FIXED
    }

    public Normalization {
        if (kind == null) {
            throw new InvalidInputException("normalisation kind is missing");
        }
        fixed = fixed == null ? List.of() : List.copyOf(fixed);
        if (kind == Kind.FIXED && fixed.isEmpty()) {
            throw new InvalidInputException("FIXED normalisation needs one center/scale per channel");
        }
        if (kind != Kind.FIXED && !fixed.isEmpty()) {
            throw new InvalidInputException(kind + " normalisation takes no fixed scales");
        }
    }

    /** No normalisation. */
    public static Normalization none() {
        return new Normalization(Kind.NONE, List.of());
    }

    /** Z-score per channel with statistics over the ROI of each patch. */
    public static Normalization zScoreRoi() {
        return new Normalization(Kind.ZSCORE_ROI, List.of());
    }

    /** Fixed center/scale per channel (original first, then the features in order). */
    public static Normalization fixed(List<ChannelScale> scales) {
        return new Normalization(Kind.FIXED, scales);
    }

    /**
     * An affine map {@code (x - center) / scale} of one channel.
     *
     * @param center subtracted first (channel units)
     * @param scale divisor (channel units, positive and finite)
     */
    public record ChannelScale(double center, double scale) {
        public ChannelScale {
            if (!Double.isFinite(center) || !(scale > 0) || !Double.isFinite(scale)) {
                throw new InvalidInputException("channel scale needs a finite center and a positive finite scale, got ("
                        + center + ", " + scale + ")");
            }
        }

        /** The identity map. */
        public static final ChannelScale IDENTITY = new ChannelScale(0, 1);
    }
}
