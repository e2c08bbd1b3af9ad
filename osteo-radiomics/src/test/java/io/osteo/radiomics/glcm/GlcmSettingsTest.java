package io.osteo.radiomics.glcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlcmSettingsTest {

    @Test
    void thirteenDirectionsInPyRadiomicsOrderMappedToXyz() {
        List<int[]> o = GlcmSettings.DEFAULTS.offsets();
        assertThat(o).hasSize(13);
        // PyRadiomics' first angles on (z, y, x): (1,1,1), (1,1,0), (1,1,-1), (1,0,1); last (0,0,1)
        assertThat(o.get(0)).containsExactly(1, 1, 1);
        assertThat(o.get(1)).containsExactly(0, 1, 1);
        assertThat(o.get(2)).containsExactly(-1, 1, 1);
        assertThat(o.get(3)).containsExactly(1, 0, 1);
        assertThat(o.get(12)).containsExactly(1, 0, 0);
        List<int[]> twoD = GlcmSettings.builder().force2D(true).build().offsets();
        assertThat(twoD).hasSize(4);
        twoD.forEach(a -> assertThat(a[2]).isZero());
        assertThat(GlcmSettings.builder().distances(2).build().offsets()).hasSize(49);
        assertThat(GlcmSettings.builder().distances(1, 2).build().offsets()).hasSize(62);
        GlcmSettings.builder().force2D(true).force2DDimension(2).build().offsets()
                .forEach(a -> assertThat(a[0]).isZero());
    }

    @Test
    void weightsFollowPyRadiomicsNorms() {
        assertThat(WeightingNorm.NO_WEIGHTING.weight(1, 1, 1, 0.5, 0.5, 2)).isEqualTo(1.0);
        assertThat(WeightingNorm.INFINITY.weight(1, 1, 0, 0.5, 0.6, 2)).isEqualTo(Math.exp(-0.36));
        assertThat(WeightingNorm.EUCLIDEAN.weight(1, 1, 0, 0.5, 0.6, 2)).isEqualTo(Math.exp(-(0.25 + 0.36)));
        assertThat(WeightingNorm.MANHATTAN.weight(1, 1, 0, 0.5, 0.6, 2)).isEqualTo(Math.exp(-(1.1 * 1.1)));
        assertThat(WeightingNorm.parse("None")).isEqualTo(WeightingNorm.NONE);
        assertThat(WeightingNorm.parse("no_weighting")).isEqualTo(WeightingNorm.NO_WEIGHTING);
        assertThatThrownBy(() -> WeightingNorm.parse("cosine")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void featureNamesParseLikePyRadiomics() {
        assertThat(GlcmFeature.parse("original_glcm_Contrast")).isEqualTo(GlcmFeature.Contrast);
        assertThat(GlcmFeature.parse("mcc")).isEqualTo(GlcmFeature.MCC);
        assertThat(GlcmFeature.values()).hasSize(24);
        assertThatThrownBy(() -> GlcmFeature.parse("Dissimilarity")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Dissimilarity");
    }

    @Test
    void rejectsInvalidSettingsAndRois() {
        assertThatThrownBy(() -> GlcmSettings.builder().distances(0).build()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GlcmSettings.builder().binWidth(-1).build()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GlcmSettings.builder().force2DDimension(3).build())
                .isInstanceOf(InvalidInputException.class);
        ImageGeometry g = ImageGeometry.of(3, 3, 3, 1, 1, 1);
        boolean[] single = new boolean[27];
        single[13] = true;
        GlcmExtractor ex = new GlcmExtractor(GlcmSettings.DEFAULTS);
        assertThatThrownBy(() -> ex.compute(Volume.wrap(g, new float[27]), single))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no pair");
        assertThatThrownBy(() -> ex.compute(Volume.wrap(g, new float[27]), new boolean[27]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
    }

    @Test
    void textbookExampleMatrix() {
        // PyRadiomics' documented 5x5 example, angle 0 (along x): symmetric GLCM given in glcm.py
        int[][] img = {{1, 2, 5, 2, 3}, {3, 2, 1, 3, 1}, {1, 3, 5, 5, 2}, {1, 1, 1, 1, 2}, {1, 2, 4, 3, 5}};
        float[] v = new float[25];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                v[x + 5 * y] = img[y][x];
            }
        }
        boolean[] mask = new boolean[25];
        java.util.Arrays.fill(mask, true);
        GlcmResult r = new GlcmExtractor(GlcmSettings.builder().binWidth(1).force2D(true).build())
                .compute(Volume.wrap(ImageGeometry.of(5, 5, 1, 1, 1, 1), v), mask);
        double[][] expected = {{6, 4, 3, 0, 0}, {4, 0, 2, 1, 3}, {3, 2, 0, 1, 2}, {0, 1, 1, 0, 0}, {0, 3, 2, 0, 2}};
        int along = -1;
        for (int m = 0; m < r.matrices().offsets().size(); m++) {
            int[] o = r.matrices().offsets().get(m);
            if (o[0] != 0 && o[1] == 0) {
                along = m;
            }
        }
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertThat(r.matrices().get(along, i, j) * 40).isCloseTo(expected[i][j],
                        org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }
}
