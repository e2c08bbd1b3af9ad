package io.osteo.train.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.model.packaging.Normalization;
import io.osteo.train.augment.PatchTransform;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;

class ViewSamplerTest {

    private static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /** The CT channel through a window wide enough to be the identity on these values. */
    private static final ChannelScaling IDENTITY_SCALING = new ChannelScaling(new Normalization(-1e6, 1e6, 0, 1),
            new double[] {0, 0, 0}, new double[] {1, 1, 1});

    private static ChannelScaling scaling(PoolPatch p) {
        return ChannelScaling.fit(new TinyPools(4, 16, 1), new Normalization(-1e6, 1e6, 0, 1), 4);
    }

    @Test
    void texturePoolViewsAreTwoDifferentChannelsWithTextureKept() {
        PoolPatch p = new TinyPools(1, 16, 1).get(0);
        ViewSampler s = new ViewSampler(ViewMode.TEXTURE_POOL, 0.5, PatchTransform.IDENTITY, scaling(p));
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
        ViewSampler s = new ViewSampler(ViewMode.RANDOM_CROP, 0.5, PatchTransform.IDENTITY, scaling(p));
        float[][] a = s.views(p, new SplittableRandom(9));
        float[][] b = s.views(p, new SplittableRandom(9));
        assertThat(a[0]).containsExactly(b[0]);
        double r = new PearsonsCorrelation().correlation(d(a[0]), d(p.channels()[0]));
        assertThat(Math.abs(r)).isLessThan(0.999);
        // a full-size crop without flips reproduces the image: interpolation at grid points is exact
        ViewSampler full = new ViewSampler(ViewMode.RANDOM_CROP, 1.0, PatchTransform.IDENTITY, IDENTITY_SCALING);
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
