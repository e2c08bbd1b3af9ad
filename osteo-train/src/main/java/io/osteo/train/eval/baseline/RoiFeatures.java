package io.osteo.train.eval.baseline;

import io.osteo.radiomics.glcm.GlcmFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * Intensity and texture features of one trabecular ROI.
 *
 * @param meanHu mean HU of the ROI
 * @param sdHu population SD of the ROI's HU
 * @param voxels ROI size in voxels
 * @param glcm the 24 PyRadiomics GLCM features in {@link GlcmFeature#all()} order (NaN where a
 *     feature is undefined for this ROI, e.g. a flat region)
 */
public record RoiFeatures(double meanHu, double sdHu, int voxels, double[] glcm) {

    public RoiFeatures {
        glcm = glcm.clone();
    }

    @Override
    public double[] glcm() {
        return glcm.clone();
    }

    /** The logistic baseline's feature row: the GLCM features, then mean HU and SD HU. */
    public double[] glcmAndHu() {
        double[] row = java.util.Arrays.copyOf(glcm, glcm.length + 2);
        row[glcm.length] = meanHu;
        row[glcm.length + 1] = sdHu;
        return row;
    }

    /** Column names of {@link #glcmAndHu()}: PyRadiomics feature names, then "meanHU", "sdHU". */
    public static List<String> glcmAndHuNames() {
        List<String> names = new ArrayList<>();
        for (GlcmFeature f : GlcmFeature.all()) names.add(f.pyRadiomicsName());
        names.add("meanHU");
        names.add("sdHU");
        return List.copyOf(names);
    }
}
