package io.osteo.model.packaging;

import com.google.gson.JsonObject;
import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * What the network expects as input, so inference repeats training exactly: the model's
 * preprocessing as recorded in its descriptor. Together with the architecture's patch size it
 * makes a {@link Preprocessing}, the one object that {@code osteo prepare}, the trainers and the
 * screener cut and normalise patches with.
 *
 * <p>The fields after {@code normalization} were added in descriptor format 1 without a version
 * change; a descriptor that lacks them (null) reads as the behaviour of models written before
 * (3D: whole patch; 2D: a one-slice grid at the body's centre; HU not rounded; default ROI
 * settings).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param channels input channels: 1 (CT) or 1 + number of texture maps
 * @param spacingMm voxel spacing (mm) the patches are resampled to, same order as the patch size
 * @param texturePool the texture-pool settings as JSON (the radiomics {@code TexturePoolSettings}
 *     serialised with Gson), or null for image-only models
 * @param normalization HU normalisation (window) of the CT channel
 * @param sliceMode how the network's patch is taken from the cut grid, or null (derived from the
 *     patch dimensionality)
 * @param cutDepth for {@link SliceMode#MID_AXIAL}: slices of the grid cut around the body before the
 *     mid-slice {@code cutDepth / 2} is taken (the training cohort's patch depth), or null (1)
 * @param roundHu whether HU are rounded to integers before normalisation (training read the patches
 *     from an int16 store), or null (false)
 * @param roi ROI extractor settings, or null ({@link RoiSettings#defaults()})
 */
public record InputSpec(int channels, List<Double> spacingMm, JsonObject texturePool, Normalization normalization,
        SliceMode sliceMode, Integer cutDepth, Boolean roundHu, RoiSettings roi) {

    /** An input spec with the pre-existing defaults for slice mode, cut depth, rounding and ROI settings. */
    public InputSpec(int channels, List<Double> spacingMm, JsonObject texturePool, Normalization normalization) {
        this(channels, spacingMm, texturePool, normalization, null, null, null, null);
    }

    public InputSpec {
        if (channels < 1) {
            throw new InvalidInputException("input channels must be >= 1, got " + channels);
        }
        if (spacingMm == null || spacingMm.isEmpty()) {
            throw new InvalidInputException("input spacing (mm) is missing");
        }
        spacingMm = List.copyOf(spacingMm);
        for (double s : spacingMm) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new InvalidInputException("input spacing must be positive mm, got " + spacingMm);
            }
        }
        if (normalization == null) {
            throw new InvalidInputException("input normalisation is missing");
        }
        if (cutDepth != null && (cutDepth < 1 || cutDepth > 1024)) {
            throw new InvalidInputException("input cut depth must be 1..1024 slices, got " + cutDepth);
        }
        if (sliceMode == SliceMode.VOLUME && spacingMm.size() != 3) {
            throw new InvalidInputException("slice mode VOLUME needs 3 spacings, got " + spacingMm);
        }
        if (sliceMode == SliceMode.MID_AXIAL && spacingMm.size() != 2) {
            throw new InvalidInputException("slice mode MID_AXIAL needs 2 spacings [H, W], got " + spacingMm);
        }
        texturePool = texturePool == null ? null : texturePool.deepCopy();
    }

    /**
     * The input of a model trained on cohort-store patches: HU rounded to integers as the store keeps
     * them; a 2D spec ({@code spacingMm} of size 2) takes the mid-slice of a {@code cutDepth}-slice grid.
     */
    public static InputSpec ofCohortPatches(List<Double> spacingMm, Normalization window, int cutDepth) {
        SliceMode mode = spacingMm.size() == 2 ? SliceMode.MID_AXIAL : SliceMode.VOLUME;
        return new InputSpec(1, spacingMm, null, window, mode, mode == SliceMode.MID_AXIAL ? cutDepth : null, true,
                RoiSettings.defaults());
    }

    @Override
    public JsonObject texturePool() {
        return texturePool == null ? null : texturePool.deepCopy();
    }

    /** The slice mode, derived from the dimensionality when the descriptor does not record it. */
    public SliceMode effectiveSliceMode() {
        return sliceMode != null ? sliceMode : spacingMm.size() == 2 ? SliceMode.MID_AXIAL : SliceMode.VOLUME;
    }

    /** The cut depth (1 when not recorded). */
    public int effectiveCutDepth() {
        return effectiveSliceMode() == SliceMode.MID_AXIAL && cutDepth != null ? cutDepth : 1;
    }

    /** The ROI settings ({@link RoiSettings#defaults()} when not recorded). */
    public RoiSettings effectiveRoi() {
        return roi != null ? roi : RoiSettings.defaults();
    }
}
