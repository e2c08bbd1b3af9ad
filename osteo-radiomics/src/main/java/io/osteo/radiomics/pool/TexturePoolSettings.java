package io.osteo.radiomics.pool;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.osteo.api.InvalidInputException;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import java.util.List;

/**
 * Everything that determines a texture pool's numbers, so that inference repeats training
 * exactly: features (channel order after the original image), kernel radius R (voxels), GLCM
 * settings (bin width in image units or bin count, distances, 2D/3D, symmetry, weighting norm),
 * stride (1 = exact maps; s > 1 = maps computed on every s-th voxel and trilinearly interpolated),
 * normalisation and the fill value written where a channel has no value (after normalisation).
 * Thread count is deliberately not part of it (it does not change the numbers).
 *
 * <p>Immutable; JSON via {@link #toJson()} / {@link #fromJson(String)} (Gson).
 */
public record TexturePoolSettings(List<GlcmFeature> features, int kernelRadius, GlcmSettings glcm, int stride,
        Normalization normalization, float fillValue) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    public TexturePoolSettings {
        if (features == null || features.isEmpty() || features.contains(null)) {
            throw new InvalidInputException("a texture pool needs at least one GLCM feature, got " + features);
        }
        features = List.copyOf(new java.util.LinkedHashSet<>(features));
        if (kernelRadius < 1 || kernelRadius > 64) {
            throw new InvalidInputException("kernel radius " + kernelRadius + " must be between 1 and 64 voxels");
        }
        if (glcm == null) {
            throw new InvalidInputException("a texture pool needs GLCM settings");
        }
        if (stride < 1 || stride > 64) {
            throw new InvalidInputException("stride " + stride + " must be between 1 and 64 voxels");
        }
        if (normalization == null) {
            throw new InvalidInputException("a texture pool needs a normalisation (Normalization.none() for raw values)");
        }
        if (normalization.kind() == Normalization.Kind.FIXED && normalization.fixed().size() != features.size() + 1) {
            throw new InvalidInputException("FIXED normalisation has " + normalization.fixed().size()
                    + " channel scales but the pool has " + (features.size() + 1) + " channels (original + features)");
        }
        if (!Float.isFinite(fillValue)) {
            throw new InvalidInputException("fill value " + fillValue + " must be finite");
        }
    }

    /** Number of channels: the original image plus one per feature. */
    public int channelCount() {
        return features.size() + 1;
    }

    /** Channel names: "original", then the PyRadiomics feature names. */
    public List<String> channelNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add("original");
        features.forEach(f -> names.add(f.pyRadiomicsName()));
        return List.copyOf(names);
    }

    /** These settings as JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Settings from JSON written by {@link #toJson()}.
     *
     * @throws InvalidInputException if the JSON is malformed or holds invalid settings
     */
    public static TexturePoolSettings fromJson(String json) {
        try {
            TexturePoolSettings s = GSON.fromJson(json, TexturePoolSettings.class);
            if (s == null) {
                throw new InvalidInputException("texture pool settings JSON is empty");
            }
            return s;
        } catch (InvalidInputException e) {
            throw new InvalidInputException("texture pool settings JSON holds invalid settings: " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException("texture pool settings JSON is invalid: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps exceptions of record constructors (our validation) in a RuntimeException
            Throwable c = e.getCause();
            String why = c instanceof InvalidInputException ? c.getMessage() : e.toString();
            throw new InvalidInputException("texture pool settings JSON holds invalid settings: " + why, e);
        }
    }
}
