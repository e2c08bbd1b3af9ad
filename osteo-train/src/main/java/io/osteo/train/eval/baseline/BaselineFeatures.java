package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmExtractor;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmResult;
import io.osteo.radiomics.glcm.GlcmSettings;
import java.util.List;

/**
 * Features of one vertebra for the baselines: {@link RoiFeatures} of the axial mid-slice
 * ({@code z = nz / 2}, GLCM with PyRadiomics' {@code force2D} in-plane directions) and of the 3D
 * trabecular ROI (GLCM with the settings' 3D directions), both on the patch's HU.
 *
 * @param slice2d the mid-slice ROI
 * @param volume3d the 3D ROI
 */
public record BaselineFeatures(RoiFeatures slice2d, RoiFeatures volume3d) {

    /**
     * Computes both feature sets.
     *
     * @param settings GLCM settings of the 3D ROI (the 2D ones are the same with force2D in-plane)
     */
    public static BaselineFeatures of(BaselineVertebra v, TrabecularRoi roi, GlcmSettings settings, boolean withGlcm) {
        ImageGeometry g = v.image().geometry();
        float[] hu = v.image().toArray();
        try {
            boolean[] roi3 = roi.volume(g, v.bodyMask());
            boolean[] roi2 = roi.midSlice(g, v.bodyMask());
            int slice = g.nx() * g.ny();
            int z = g.nz() / 2;
            float[] sliceHu = java.util.Arrays.copyOfRange(hu, z * slice, (z + 1) * slice);
            Volume sliceVolume = new Volume(ImageGeometry.of(g.nx(), g.ny(), 1, g.spacing(0), g.spacing(1), g.spacing(2)),
                    sliceHu);
            GlcmSettings settings2d = settings.toBuilder().force2D(true).force2DDimension(0).build();
            RoiFeatures f2 = features(sliceVolume, sliceHu, roi2, withGlcm ? new GlcmExtractor(settings2d) : null);
            RoiFeatures f3 = features(v.image(), hu, roi3, withGlcm ? new GlcmExtractor(settings) : null);
            return new BaselineFeatures(f2, f3);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("baseline features of patient " + v.patientId() + " " + v.level() + ": "
                    + e.getMessage(), e);
        }
    }

    private static RoiFeatures features(Volume image, float[] hu, boolean[] roi, GlcmExtractor glcm) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < roi.length; i++) {
            if (roi[i]) {
                if (!Float.isFinite(hu[i])) {
                    throw new InvalidInputException("voxel " + i + " of the ROI is " + hu[i]);
                }
                sum += hu[i];
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < roi.length; i++) {
            if (roi[i]) ss += (hu[i] - mean) * (hu[i] - mean);
        }
        List<GlcmFeature> all = GlcmFeature.all();
        double[] values = new double[all.size()];
        java.util.Arrays.fill(values, Double.NaN);
        if (glcm != null) {
            try {
                GlcmResult r = glcm.compute(image, roi);
                for (int k = 0; k < values.length; k++) values[k] = r.get(all.get(k));
            } catch (InvalidInputException e) {
                // a ROI without voxel pairs has no texture: the features stay undefined (NaN) and are
                // imputed with the training mean by the standardisation
            }
        }
        return new RoiFeatures(mean, Math.sqrt(ss / n), n, values);
    }
}
