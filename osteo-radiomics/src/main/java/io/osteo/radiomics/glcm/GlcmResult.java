package io.osteo.radiomics.glcm;

import java.util.Map;

/**
 * ROI-level GLCM features (PyRadiomics names, see {@link GlcmFeature}) with the settings and the
 * matrices they were computed from. Immutable; thread-safe.
 *
 * @param settings the settings used
 * @param features feature values in {@link GlcmFeature} order (unitless or in squared gray levels,
 *     as PyRadiomics defines each)
 * @param matrices the matrices the features came from
 * @param voxelCount number of ROI voxels
 */
public record GlcmResult(GlcmSettings settings, Map<GlcmFeature, Double> features, GlcmMatrices matrices,
        int voxelCount) {

    public GlcmResult {
        features = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(features));
    }

    /** The value of one feature (must have been computed). */
    public double get(GlcmFeature feature) {
        Double v = features.get(feature);
        if (v == null) {
            throw new IllegalArgumentException(feature + " was not computed");
        }
        return v;
    }
}
