package io.osteo.model.packaging;

import com.google.gson.JsonObject;
import io.osteo.api.InvalidInputException;
import java.util.List;

/**
 * What the network expects as input, so inference repeats training exactly. The patch size
 * (voxels) is part of the architecture ({@link io.osteo.model.net.OsteoNetConfig#patchSize()}).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param channels input channels: 1 (CT) or 1 + number of texture maps
 * @param spacingMm voxel spacing (mm) the patches are resampled to, same order as the patch size
 * @param texturePool the texture-pool settings as JSON (the radiomics {@code TexturePoolSettings}
 *     serialised with Gson), or null for image-only models
 * @param normalization HU normalisation of the CT channel
 */
public record InputSpec(int channels, List<Double> spacingMm, JsonObject texturePool, Normalization normalization) {

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
        texturePool = texturePool == null ? null : texturePool.deepCopy();
    }

    @Override
    public JsonObject texturePool() {
        return texturePool == null ? null : texturePool.deepCopy();
    }
}
