package io.osteo.train.augment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.osteo.api.InvalidInputException;
import io.osteo.train.pretrain.PoolPatch;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded random augmentation of one vertebra patch in <b>physical units</b>: channel 0 of the
 * {@link PoolPatch} is the CT patch in HU, channels 1..M its raw texture maps, on a grid of shape
 * {@code [H, W]} (2D) or {@code [D, H, W]} (3D), x (W) fastest. The axial plane is the last two
 * axes ({@code H, W}); {@code D} is cranio-caudal. Immutable and thread-safe; {@link #apply}
 * never mutates its input and returns new arrays.
 *
 * <p>One call of {@link #apply} does, in this order:
 * <ol>
 *   <li>intensity (channel 0 only): {@code hu' = s * hu + o} with the slope {@code s} uniform in
 *       {@code [1 - maxSlopeChange, 1 + maxSlopeChange]} and the offset {@code o} uniform in
 *       {@code [-maxOffsetHu, +maxOffsetHu]} HU: a scanner calibration change. Texture maps are
 *       left as they are (they describe the texture, which calibration does not change much);</li>
 *   <li>flips in the axial plane: along W and along H, each with probability 1/2;</li>
 *   <li>a rotation in the axial plane by {@code k x 90} degrees, {@code k} uniform in 0..3
 *       ({@link #rotate90} semantics); with the flips every one of the 8 axial orientations is
 *       equally likely;</li>
 *   <li>a translation by an integer number of voxels along every axis, each uniform in
 *       {@code [-maxShiftVoxels, +maxShiftVoxels]} ({@link #translate} semantics), the uncovered
 *       border filled per {@link Fill}.</li>
 * </ol>
 * Geometric steps move every channel identically. Each call takes exactly {@code axes + 5}
 * values from the random source, in a fixed order whatever is switched on (2 flips, the rotation,
 * one shift per axis, slope, offset), so turning one step off does not change the draws of the
 * others and the output is a function of the random source's state.
 *
 * <p>Rotations need a square axial plane ({@code H == W}): {@link #apply} refuses a non-square
 * plane with an {@link InvalidInputException} when rotations are on (a 90-degree rotation would
 * change the patch shape on half the draws and break batching); the static {@link #rotate90}
 * handles any plane and swaps {@code H} and {@code W} for odd {@code k}.
 */
public final class Augmentation implements PatchTransform {

    /** Largest intensity offset allowed, HU: the scanner calibration range of the synthetic cohort. */
    public static final double MAX_OFFSET_HU = 30;
    /** Largest relative slope change allowed: calibration slope 0.92-1.08. */
    public static final double MAX_SLOPE_CHANGE = 0.08;
    /** Largest translation allowed, voxels ("a few voxels"). */
    public static final int MAX_SHIFT_VOXELS = 8;

    /** How a translation fills the border it uncovers. */
    public enum Fill {
        /**
         * Every channel repeats its nearest edge voxel (default): a vertebra sits in soft tissue, so
         * the edge continues the surroundings, and texture maps stay defined.
         */
        EDGE,
        /** Channel 0 gets {@link Augmentation#fillHu()} (default -1000 HU, air), channels 1..M get {@link Augmentation#fillTexture()}. */
        CONSTANT
    }

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Augmentation NONE = builder().flips(false).rotations(false).maxShiftVoxels(0)
            .intensity(false).build();

    private final boolean flips;
    private final boolean rotations;
    private final int maxShiftVoxels;
    private final Fill fill;
    private final float fillHu;
    private final float fillTexture;
    private final boolean intensity;
    private final double maxOffsetHu;
    private final double maxSlopeChange;

    private Augmentation(Builder b) {
        this.flips = b.flips;
        this.rotations = b.rotations;
        this.maxShiftVoxels = b.maxShiftVoxels;
        this.fill = b.fill;
        this.fillHu = b.fillHu;
        this.fillTexture = b.fillTexture;
        this.intensity = b.intensity;
        this.maxOffsetHu = b.maxOffsetHu;
        this.maxSlopeChange = b.maxSlopeChange;
    }

    /** A builder with the recipe's defaults: flips, rotations, shifts up to 2 voxels (edge fill), +/-30 HU, +/-8%. */
    public static Builder builder() {
        return new Builder();
    }

    /** The recipe's defaults ({@link #builder()} unchanged). */
    public static Augmentation defaults() {
        return builder().build();
    }

    /** Everything off: {@link #apply} returns a copy of its input. */
    public static Augmentation none() {
        return NONE;
    }

    /** A builder starting from this augmentation's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.flips = flips;
        b.rotations = rotations;
        b.maxShiftVoxels = maxShiftVoxels;
        b.fill = fill;
        b.fillHu = fillHu;
        b.fillTexture = fillTexture;
        b.intensity = intensity;
        b.maxOffsetHu = maxOffsetHu;
        b.maxSlopeChange = maxSlopeChange;
        return b;
    }

    public boolean flips() {
        return flips;
    }

    public boolean rotations() {
        return rotations;
    }

    /** Largest shift per axis, voxels (0 = no translation). */
    public int maxShiftVoxels() {
        return maxShiftVoxels;
    }

    public Fill fill() {
        return fill;
    }

    /** Value of channel 0 in a {@link Fill#CONSTANT} border, HU. */
    public float fillHu() {
        return fillHu;
    }

    /** Value of channels 1..M in a {@link Fill#CONSTANT} border (raw texture units). */
    public float fillTexture() {
        return fillTexture;
    }

    public boolean intensity() {
        return intensity;
    }

    /** Largest absolute HU offset of channel 0. */
    public double maxOffsetHu() {
        return maxOffsetHu;
    }

    /** Largest relative change of the HU slope of channel 0 (0.08 = +/-8%). */
    public double maxSlopeChange() {
        return maxSlopeChange;
    }

    /** True when {@link #apply} can only return a copy of its input. */
    public boolean isIdentity() {
        boolean noIntensity = !intensity || (maxOffsetHu == 0 && maxSlopeChange == 0);
        return !flips && !rotations && maxShiftVoxels == 0 && noIntensity;
    }

    /**
     * Applies one random draw of this augmentation to {@code patch} (see the class documentation).
     *
     * @param patch channel 0 in HU, channels 1..M raw texture maps; not modified
     * @param random source of the draws (advanced by this call)
     * @return a new patch with new arrays (same shape)
     * @throws InvalidInputException for a missing argument, a non-square axial plane while
     *     rotations are on, or a largest shift not below an axis length
     */
    @Override
    public PoolPatch apply(PoolPatch patch, SplittableRandom random) {
        if (patch == null) {
            throw new InvalidInputException("augmentation: the patch is missing");
        }
        if (random == null) {
            throw new InvalidInputException("augmentation: the random source is missing (augmentation is always seeded)");
        }
        int[] shape = patch.shape();
        int axes = shape.length;
        if (rotations && shape[axes - 1] != shape[axes - 2]) {
            throw new InvalidInputException("augmentation: 90-degree rotations need a square axial plane, patch shape is "
                    + Arrays.toString(shape) + " (turn rotations off or use a square patch)");
        }
        for (int s : shape) {
            if (maxShiftVoxels >= s) {
                throw new InvalidInputException("augmentation: shifts up to " + maxShiftVoxels
                        + " voxels are too large for patch shape " + Arrays.toString(shape));
            }
        }
        // exactly axes + 5 draws of one long each, in a fixed order, whatever is switched on
        boolean flipH = random.nextDouble() < 0.5;
        boolean flipW = random.nextDouble() < 0.5;
        int k = Math.min(3, (int) (random.nextDouble() * 4));
        int[] shift = new int[axes];
        boolean shifted = false;
        for (int a = 0; a < axes; a++) {
            double u = random.nextDouble();
            shift[a] = Math.min(2 * maxShiftVoxels, (int) (u * (2 * maxShiftVoxels + 1))) - maxShiftVoxels;
            shifted |= shift[a] != 0;
        }
        double slopeU = random.nextDouble();
        double offsetU = random.nextDouble();

        PoolPatch out = intensity
                ? calibrate(patch, 1 + (2 * slopeU - 1) * maxSlopeChange, (2 * offsetU - 1) * maxOffsetHu)
                : copy(patch);
        if (flips && flipH) {
            out = flip(out, axes - 2);
        }
        if (flips && flipW) {
            out = flip(out, axes - 1);
        }
        if (rotations && k != 0) {
            out = rotate90(out, k);
        }
        if (shifted) {
            out = translate(out, shift, fill, fillHu, fillTexture);
        }
        return out;
    }

    /** Channel 0 mapped to {@code slope * hu + offset}; other channels copied. */
    static PoolPatch calibrate(PoolPatch patch, double slope, double offset) {
        float[][] in = patch.channels();
        float[][] out = new float[in.length][];
        float[] hu = in[0];
        float[] c0 = new float[hu.length];
        for (int i = 0; i < hu.length; i++) {
            c0[i] = (float) (slope * hu[i] + offset);
        }
        out[0] = c0;
        for (int c = 1; c < in.length; c++) {
            out[c] = in[c].clone();
        }
        return new PoolPatch(patch.shape().clone(), out);
    }

    private static PoolPatch copy(PoolPatch patch) {
        float[][] in = patch.channels();
        float[][] out = new float[in.length][];
        for (int c = 0; c < in.length; c++) {
            out[c] = in[c].clone();
        }
        return new PoolPatch(patch.shape().clone(), out);
    }

    /**
     * Mirrors every channel along one axis: {@code out[.., i, ..] = in[.., n-1-i, ..]}.
     *
     * @param axis 0-based axis of {@code patch.shape()} (the last is W, the fastest)
     */
    public static PoolPatch flip(PoolPatch patch, int axis) {
        int[] shape = checkedShape(patch);
        if (axis < 0 || axis >= shape.length) {
            throw new InvalidInputException("flip axis " + axis + " is outside 0.." + (shape.length - 1)
                    + " for patch shape " + Arrays.toString(shape));
        }
        int n = shape[axis];
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int outer = patch.voxels() / (n * inner);
        float[][] in = patch.channels();
        float[][] out = new float[in.length][];
        for (int c = 0; c < in.length; c++) {
            float[] src = in[c];
            float[] dst = new float[src.length];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(src, (o * n + (n - 1 - i)) * inner, dst, (o * n + i) * inner, inner);
                }
            }
            out[c] = dst;
        }
        return new PoolPatch(shape.clone(), out);
    }

    /**
     * Rotates every channel by {@code k x 90} degrees in the axial plane (the last two axes), as
     * {@code numpy.rot90(a, k, axes=(-2, -1))}: for {@code k = 1} the output has axial shape
     * {@code [W, H]} and {@code out[.., i, j] = in[.., j, W-1-i]}. Any plane, square or not (odd
     * {@code k} swaps {@code H} and {@code W}); {@code k} may be negative.
     */
    public static PoolPatch rotate90(PoolPatch patch, int k) {
        int[] shape = checkedShape(patch);
        int turns = Math.floorMod(k, 4);
        if (turns == 0) {
            return copy(patch);
        }
        int axes = shape.length;
        int h = shape[axes - 2];
        int w = shape[axes - 1];
        int planes = patch.voxels() / (h * w);
        int[] outShape = shape.clone();
        if (turns % 2 == 1) {
            outShape[axes - 2] = w;
            outShape[axes - 1] = h;
        }
        int oh = outShape[axes - 2];
        int ow = outShape[axes - 1];
        float[][] in = patch.channels();
        float[][] out = new float[in.length][];
        for (int c = 0; c < in.length; c++) {
            float[] src = in[c];
            float[] dst = new float[src.length];
            for (int p = 0; p < planes; p++) {
                int base = p * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int si;
                        int sj;
                        switch (turns) {
                            case 1 -> {
                                si = j;
                                sj = w - 1 - i;
                            }
                            case 2 -> {
                                si = h - 1 - i;
                                sj = w - 1 - j;
                            }
                            default -> {
                                si = h - 1 - j;
                                sj = i;
                            }
                        }
                        dst[base + i * ow + j] = src[base + si * w + sj];
                    }
                }
            }
            out[c] = dst;
        }
        return new PoolPatch(outShape, out);
    }

    /**
     * Shifts every channel by whole voxels: {@code out[p] = in[p - shift]} (content moves towards
     * higher indices for a positive shift); voxels whose source is outside the patch take the
     * nearest edge voxel ({@link Fill#EDGE}) or the constants ({@link Fill#CONSTANT}: {@code fillHu}
     * in channel 0, {@code fillTexture} in the others).
     *
     * @param shift one integer per axis of {@code patch.shape()}, slowest axis first
     */
    public static PoolPatch translate(PoolPatch patch, int[] shift, Fill fill, float fillHu, float fillTexture) {
        int[] shape = checkedShape(patch);
        if (shift == null || shift.length != shape.length) {
            throw new InvalidInputException("translation " + Arrays.toString(shift) + " needs one shift per axis of "
                    + Arrays.toString(shape));
        }
        if (fill == null) {
            throw new InvalidInputException("translation fill mode is missing");
        }
        int axes = shape.length;
        int[] dims = axes == 3 ? shape : new int[] {1, shape[0], shape[1]};
        int[] s = axes == 3 ? shift : new int[] {0, shift[0], shift[1]};
        int nd = dims[0];
        int nh = dims[1];
        int nw = dims[2];
        float[][] in = patch.channels();
        float[][] out = new float[in.length][];
        for (int c = 0; c < in.length; c++) {
            float constant = c == 0 ? fillHu : fillTexture;
            float[] src = in[c];
            float[] dst = new float[src.length];
            for (int d = 0; d < nd; d++) {
                int sd = d - s[0];
                for (int y = 0; y < nh; y++) {
                    int sy = y - s[1];
                    for (int x = 0; x < nw; x++) {
                        int sx = x - s[2];
                        int o = (d * nh + y) * nw + x;
                        boolean inside = sd >= 0 && sd < nd && sy >= 0 && sy < nh && sx >= 0 && sx < nw;
                        if (inside) {
                            dst[o] = src[(sd * nh + sy) * nw + sx];
                        } else if (fill == Fill.CONSTANT) {
                            dst[o] = constant;
                        } else {
                            int cd = Math.min(nd - 1, Math.max(0, sd));
                            int cy = Math.min(nh - 1, Math.max(0, sy));
                            int cx = Math.min(nw - 1, Math.max(0, sx));
                            dst[o] = src[(cd * nh + cy) * nw + cx];
                        }
                    }
                }
            }
            out[c] = dst;
        }
        return new PoolPatch(shape.clone(), out);
    }

    private static int[] checkedShape(PoolPatch patch) {
        if (patch == null) {
            throw new InvalidInputException("augmentation: the patch is missing");
        }
        return patch.shape();
    }

    /** The settings as compact JSON (for provenance: stored with a training run). */
    public String toJson() {
        return GSON.toJson(new Settings(flips, rotations, maxShiftVoxels, fill, fillHu, fillTexture, intensity,
                maxOffsetHu, maxSlopeChange));
    }

    /**
     * Reads settings written by {@link #toJson()}; keys left out keep the defaults.
     *
     * @throws InvalidInputException for malformed JSON or values outside the physical bounds
     */
    public static Augmentation fromJson(String json) {
        Settings s;
        try {
            s = GSON.fromJson(json, Settings.class);
        } catch (JsonParseException e) {
            throw new InvalidInputException("augmentation JSON is malformed: " + e.getMessage(), e);
        }
        if (s == null) {
            throw new InvalidInputException("augmentation JSON is empty");
        }
        Builder b = builder();
        Augmentation d = defaults();
        return b.flips(s.flips == null ? d.flips : s.flips)
                .rotations(s.rotations == null ? d.rotations : s.rotations)
                .maxShiftVoxels(s.maxShiftVoxels == null ? d.maxShiftVoxels : s.maxShiftVoxels)
                .fill(s.fill == null ? d.fill : s.fill)
                .fillHu(s.fillHu == null ? d.fillHu : s.fillHu)
                .fillTexture(s.fillTexture == null ? d.fillTexture : s.fillTexture)
                .intensity(s.intensity == null ? d.intensity : s.intensity)
                .maxOffsetHu(s.maxOffsetHu == null ? d.maxOffsetHu : s.maxOffsetHu)
                .maxSlopeChange(s.maxSlopeChange == null ? d.maxSlopeChange : s.maxSlopeChange)
                .build();
    }

    /** JSON shape of the settings (boxed so that missing keys are detectable). */
    private record Settings(Boolean flips, Boolean rotations, Integer maxShiftVoxels, Fill fill, Float fillHu,
            Float fillTexture, Boolean intensity, Double maxOffsetHu, Double maxSlopeChange) {}

    /** A one-line description, e.g. {@code Augmentation[flips, rot90, shift<=2 vox (EDGE), HU offset +/-30, slope +/-8%]}. */
    @Override
    public String toString() {
        if (isIdentity()) {
            return "Augmentation[none]";
        }
        StringBuilder sb = new StringBuilder("Augmentation[");
        String sep = "";
        if (flips) {
            sb.append("flips");
            sep = ", ";
        }
        if (rotations) {
            sb.append(sep).append("rot90");
            sep = ", ";
        }
        if (maxShiftVoxels > 0) {
            sb.append(sep).append("shift<=").append(maxShiftVoxels).append(" vox (").append(fill);
            if (fill == Fill.CONSTANT) {
                sb.append(' ').append(fillHu).append(" HU");
            }
            sb.append(')');
            sep = ", ";
        }
        if (intensity) {
            sb.append(sep).append(String.format(Locale.ROOT, "HU offset +/-%.3g, slope +/-%.3g%%", maxOffsetHu,
                    100 * maxSlopeChange));
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Augmentation a && toJson().equals(a.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** Fluent settings; every step switchable. Not thread-safe. */
    public static final class Builder {
        private boolean flips = true;
        private boolean rotations = true;
        private int maxShiftVoxels = 2;
        private Fill fill = Fill.EDGE;
        private float fillHu = -1000f;
        private float fillTexture = 0f;
        private boolean intensity = true;
        private double maxOffsetHu = MAX_OFFSET_HU;
        private double maxSlopeChange = MAX_SLOPE_CHANGE;

        private Builder() {}

        /** Random flips along H and W (default on). */
        public Builder flips(boolean on) {
            this.flips = on;
            return this;
        }

        /** Random 90-degree rotations in the axial plane (default on; needs H == W). */
        public Builder rotations(boolean on) {
            this.rotations = on;
            return this;
        }

        /** Largest shift per axis in voxels, 0..{@value Augmentation#MAX_SHIFT_VOXELS} (default 2; 0 = off). */
        public Builder maxShiftVoxels(int voxels) {
            if (voxels < 0 || voxels > MAX_SHIFT_VOXELS) {
                throw new InvalidInputException("augmentation maxShiftVoxels = " + voxels + " is outside 0.."
                        + MAX_SHIFT_VOXELS + " (a few voxels)");
            }
            this.maxShiftVoxels = voxels;
            return this;
        }

        /** Border fill of translations (default {@link Fill#EDGE}). */
        public Builder fill(Fill mode) {
            if (mode == null) {
                throw new InvalidInputException("augmentation fill mode is missing");
            }
            this.fill = mode;
            return this;
        }

        /** Channel-0 value of a {@link Fill#CONSTANT} border, HU, -1024..3071 (default -1000, air). */
        public Builder fillHu(float hu) {
            if (!(hu >= -1024 && hu <= 3071)) {
                throw new InvalidInputException("augmentation fillHu = " + hu + " HU is outside -1024..3071");
            }
            this.fillHu = hu;
            return this;
        }

        /** Texture-channel value of a {@link Fill#CONSTANT} border, raw units (default 0), finite. */
        public Builder fillTexture(float value) {
            if (!Float.isFinite(value)) {
                throw new InvalidInputException("augmentation fillTexture = " + value + " is not finite");
            }
            this.fillTexture = value;
            return this;
        }

        /** The HU calibration change of channel 0 (default on). */
        public Builder intensity(boolean on) {
            this.intensity = on;
            return this;
        }

        /** Largest HU offset, 0..{@value Augmentation#MAX_OFFSET_HU} (default 30: the scanner calibration range). */
        public Builder maxOffsetHu(double hu) {
            if (!(hu >= 0 && hu <= MAX_OFFSET_HU)) {
                throw new InvalidInputException("augmentation maxOffsetHu = " + hu + " is outside 0.." + MAX_OFFSET_HU
                        + " HU (larger jitter teaches invariance to the density signal)");
            }
            this.maxOffsetHu = hu;
            return this;
        }

        /** Largest relative slope change, 0..{@value Augmentation#MAX_SLOPE_CHANGE} (default 0.08 = +/-8%). */
        public Builder maxSlopeChange(double fraction) {
            if (!(fraction >= 0 && fraction <= MAX_SLOPE_CHANGE)) {
                throw new InvalidInputException("augmentation maxSlopeChange = " + fraction + " is outside 0.."
                        + MAX_SLOPE_CHANGE + " (calibration slope 0.92-1.08)");
            }
            this.maxSlopeChange = fraction;
            return this;
        }

        public Augmentation build() {
            return new Augmentation(this);
        }
    }
}
