package io.osteo.train.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;

class ViewSamplerTest {

    private static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    @Test
    void texturePoolViewsAreTwoDifferentChannelsWithTextureKept() {
        PoolPatch p = new TinyPools(1, 16, 1).get(0);
        ViewSampler s = new ViewSampler(ViewMode.TEXTURE_POOL, 0.1, 0.5);
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            float[][] v = s.views(p, r);
            // each view is an affine intensity change of exactly one channel: correlation 1 with it
            int[] source = new int[2];
            for (int k = 0; k < 2; k++) {
                source[k] = -1;
                for (int c = 0; c < 3; c++) {
                    if (new PearsonsCorrelation().correlation(d(v[k]), d(p.channels()[c])) > 0.99999) source[k] = c;
                }
                assertThat(source[k]).isNotNegative();
            }
            assertThat(source[0]).isNotEqualTo(source[1]);
        }
    }

    @Test
    void randomCropsDifferFromTheOriginalAndAreSeeded() {
        PoolPatch p = new TinyPools(1, 16, 2).get(0);
        ViewSampler s = new ViewSampler(ViewMode.RANDOM_CROP, 0.0, 0.5);
        float[][] a = s.views(p, new SplittableRandom(9));
        float[][] b = s.views(p, new SplittableRandom(9));
        assertThat(a[0]).containsExactly(b[0]);
        double r = new PearsonsCorrelation().correlation(d(a[0]), d(p.channels()[0]));
        assertThat(Math.abs(r)).isLessThan(0.999);
        // a full-size crop without flips reproduces the image: interpolation at grid points is exact
        ViewSampler full = new ViewSampler(ViewMode.RANDOM_CROP, 0.0, 1.0);
        boolean found = false;
        SplittableRandom rr = new SplittableRandom(1);
        for (int i = 0; i < 40 && !found; i++) {
            float[] v = full.views(p, rr)[0];
            if (Math.abs(v[0] - p.channels()[0][0]) < 1e-6 && Math.abs(v[17] - p.channels()[0][17]) < 1e-6) {
                assertThat(v[100]).isCloseTo(p.channels()[0][100], within(1e-5f));
                found = true;
            }
        }
        assertThat(found).isTrue();
    }
}
