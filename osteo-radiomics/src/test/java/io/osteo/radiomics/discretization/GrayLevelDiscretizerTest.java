package io.osteo.radiomics.discretization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GrayLevelDiscretizerTest {

    private static boolean[] all(int n) {
        boolean[] m = new boolean[n];
        Arrays.fill(m, true);
        return m;
    }

    @Test
    void binWidthAnchorsEdgesAtMultiplesOfTheWidth() {
        // PyRadiomics docs example: ROI 54..166, width 25 -> edges 50, 75, ..., 175
        float[] img = {54, 74.9f, 75, 100, 166};
        DiscretizedImage d = GrayLevelDiscretizer.byBinWidth(img, all(5), 25);
        assertThat(d.bins()).containsExactly(1, 1, 2, 3, 5);
        assertThat(d.levels()).containsExactly(1, 2, 3, 5);
        assertThat(d.maxLevel()).isEqualTo(5);
        assertThat(d.levelIndex()[5]).isEqualTo(3);
        assertThat(d.levelIndex()[4]).isEqualTo(-1);
    }

    @Test
    void binWidthMatchesTheFloorFormulaForNegativeHu() {
        Random r = new Random(7);
        float[] img = new float[2000];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextInt(3000) - 1024;
        }
        boolean[] mask = all(img.length);
        mask[3] = false;
        DiscretizedImage d = GrayLevelDiscretizer.byBinWidth(img, mask, 25);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < img.length; i++) {
            if (mask[i]) {
                min = Math.min(min, img[i]);
            }
        }
        for (int i = 0; i < img.length; i++) {
            int expected = mask[i] ? (int) (Math.floor(img[i] / 25.0) - Math.floor(min / 25.0) + 1) : 0;
            assertThat(d.bins()[i]).as("voxel " + i + " value " + img[i]).isEqualTo(expected);
        }
    }

    @Test
    void binCountPutsTheMaximumInTheLastBin() {
        float[] img = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10};
        DiscretizedImage d = GrayLevelDiscretizer.byBinCount(img, all(img.length), 5);
        // floor(5 (x - 0) / 10) + 1, max -> 5
        assertThat(d.bins()).containsExactly(1, 1, 2, 2, 3, 3, 4, 4, 5, 5);
        DiscretizedImage flat = GrayLevelDiscretizer.byBinCount(new float[] {3, 3, 3}, all(3), 4);
        assertThat(flat.levels()).hasSize(1);
    }

    @Test
    void pythonModuloFollowsTheDivisorSign() {
        assertThat(GrayLevelDiscretizer.pythonMod(-1024, 25)).isEqualTo(1.0);
        assertThat(GrayLevelDiscretizer.pythonMod(54, 25)).isEqualTo(4.0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> GrayLevelDiscretizer.byBinWidth(new float[] {1}, new boolean[1], 25))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> GrayLevelDiscretizer.byBinWidth(new float[] {1}, all(1), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bin width");
        assertThatThrownBy(() -> GrayLevelDiscretizer.byBinCount(new float[] {1}, all(1), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bin count");
        assertThatThrownBy(() -> GrayLevelDiscretizer.byBinWidth(new float[] {Float.NaN}, all(1), 25))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> GrayLevelDiscretizer.byBinWidth(new float[] {1, 2}, all(1), 25))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("mask has 1");
    }
}
