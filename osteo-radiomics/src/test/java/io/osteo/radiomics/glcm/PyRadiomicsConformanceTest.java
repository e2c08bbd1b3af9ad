package io.osteo.radiomics.glcm;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ROI-level GLCM features against PyRadiomics' own baselines (brain1, breast1; the columns that
 * need no resampling or intensity normalisation), each column's settings read from its
 * diagnostics_Configuration_Settings row, and the brain1 matrices against brain1_glcm.npy.
 */
class PyRadiomicsConformanceTest {

    private static final Map<String, Map<String, String>> BASELINE = ConformanceData.baseline();

    static Stream<String> columns() {
        return Stream.of("brain1", "brain1_2d", "brain1_FBN", "brain1_combined", "brain1_flatRegion", "breast1",
                "breast1_2d", "breast1_FBN", "breast1_combined", "breast1_flatRegion");
    }

    /** The GLCM settings of a baseline column, from its PyRadiomics settings dict. */
    static GlcmSettings settingsOf(String dict) {
        GlcmSettings.Builder b = GlcmSettings.builder();
        String binCount = ConformanceData.setting(dict, "binCount");
        String binWidth = ConformanceData.setting(dict, "binWidth");
        if (binCount != null) {
            b.binCount(Integer.parseInt(binCount));
        } else if (binWidth != null) {
            b.binWidth(Double.parseDouble(binWidth));
        }
        String distances = ConformanceData.setting(dict, "distances");
        if (distances != null) {
            b.distances(Stream.of(distances.replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt).toArray());
        }
        b.force2D("True".equals(ConformanceData.setting(dict, "force2D")));
        String dim = ConformanceData.setting(dict, "force2Ddimension");
        if (dim != null) {
            b.force2DDimension(Integer.parseInt(dim));
        }
        String norm = ConformanceData.setting(dict, "weightingNorm");
        b.weightingNorm(WeightingNorm.parse(norm));
        String sym = ConformanceData.setting(dict, "symmetricalGLCM");
        if (sym != null) {
            b.symmetricalGLCM("True".equals(sym));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("columns")
    void everyFeatureMatchesTheBaseline(String column) {
        Map<String, String> col = BASELINE.get(column);
        assertThat(col).as("baseline column " + column).isNotNull();
        String dict = col.get("diagnostics_Configuration_Settings");
        for (String unsupported : List.of("resampledPixelSpacing", "normalize")) {
            String v = ConformanceData.setting(dict, unsupported);
            assertThat(v == null || v.equals("None") || v.equals("False")).as(column + " needs " + unsupported).isTrue();
        }
        String testCase = col.get("diagnostics_Configuration_TestCase");
        Volume image = VolumeIo.readVolume(ConformanceData.dir().resolve(testCase + "_image.nrrd"));
        LabelMap labels = VolumeIo.readLabels(ConformanceData.dir().resolve(testCase + "_label.nrrd"));
        int label = Integer.parseInt(ConformanceData.setting(dict, "label"));
        boolean[] mask = labels.mask(label);
        String reseg = ConformanceData.setting(dict, "resegmentRange");
        if (reseg != null && !reseg.equals("None")) {
            // PyRadiomics' absolute resegmentation with a single bound keeps voxels >= bound
            double lower = Double.parseDouble(reseg.replaceAll("[\\[\\] ]", "").split(",")[0]);
            for (int i = 0; i < mask.length; i++) {
                mask[i] &= image.get(i) >= lower;
            }
        }
        GlcmResult result = new GlcmExtractor(settingsOf(dict)).compute(image, mask);
        assertThat(result.voxelCount()).isEqualTo(Integer.parseInt(col.get("diagnostics_Mask-original_VoxelNum")));
        int checked = 0;
        for (GlcmFeature f : GlcmFeature.values()) {
            String cell = col.get("original_glcm_" + f.pyRadiomicsName());
            assertThat(cell).as(column + " has no baseline for " + f).isNotNull().isNotBlank();
            double expected = Double.parseDouble(cell);
            double actual = result.get(f);
            double tol = Math.max(1e-9, 1e-6 * Math.abs(expected));
            assertThat(Math.abs(actual - expected)).as(column + " " + f + ": PyRadiomics " + expected + ", ours " + actual)
                    .isLessThanOrEqualTo(tol);
            checked++;
        }
        assertThat(checked).isEqualTo(24);
    }

    @Test
    void brain1MatricesMatchPyRadiomics() {
        ConformanceData.Npy npy = ConformanceData.readNpy(ConformanceData.dir().resolve("brain1_glcm.npy"));
        assertThat(npy.shape()).containsExactly(33, 33, 13);
        Volume image = VolumeIo.readVolume(ConformanceData.dir().resolve("brain1_image.nrrd"));
        LabelMap labels = VolumeIo.readLabels(ConformanceData.dir().resolve("brain1_label.nrrd"));
        GlcmResult r = new GlcmExtractor(GlcmSettings.DEFAULTS).compute(image, labels, 1);
        GlcmMatrices m = r.matrices();
        assertThat(m.levelCount()).isEqualTo(33);
        assertThat(m.matrices()).hasSize(13);
        double maxDiff = 0;
        for (int i = 0; i < 33; i++) {
            for (int j = 0; j < 33; j++) {
                for (int a = 0; a < 13; a++) {
                    double expected = npy.data()[(i * 33 + j) * 13 + a];
                    maxDiff = Math.max(maxDiff, Math.abs(m.get(a, i, j) - expected));
                }
            }
        }
        assertThat(maxDiff).as("largest |p - p_PyRadiomics| over 33x33x13").isLessThan(1e-15);
    }
}
