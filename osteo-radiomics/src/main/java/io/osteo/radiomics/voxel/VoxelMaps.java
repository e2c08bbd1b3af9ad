package io.osteo.radiomics.voxel;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Voxel-based GLCM feature maps on the image grid, in double precision. A voxel has NaN where it
 * has no value: outside the ROI, or where its kernel has no voxel pair in any direction.
 * Immutable by convention (the arrays must not be modified); thread-safe for reading.
 *
 * @param geometry the image grid
 * @param maps one array per feature, x fastest
 * @param roiVoxels number of ROI voxels (where a value was attempted)
 */
public record VoxelMaps(ImageGeometry geometry, Map<GlcmFeature, double[]> maps, int roiVoxels) {

    public VoxelMaps {
        maps = Collections.unmodifiableMap(new EnumMap<>(maps));
    }

    /** The features present. */
    public Set<GlcmFeature> features() {
        return maps.keySet();
    }

    /** The map of one feature (the internal array: do not modify). */
    public double[] values(GlcmFeature feature) {
        double[] v = maps.get(feature);
        if (v == null) {
            throw new IllegalArgumentException(feature + " was not computed");
        }
        return v;
    }

    /** The map of one feature as a float {@link Volume} (NaN = no value). */
    public Volume volume(GlcmFeature feature) {
        double[] v = values(feature);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Volume.wrap(geometry, f);
    }
}
