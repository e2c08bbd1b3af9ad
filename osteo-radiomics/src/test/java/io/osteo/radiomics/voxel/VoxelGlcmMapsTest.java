package io.osteo.radiomics.voxel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.glcm.WeightingNorm;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Exactness of voxel maps (fast and direct paths) against the brute-force reference. */
class VoxelGlcmMapsTest {

    record Case(String name, int nx, int ny, int nz, int radius, GlcmSettings settings, double maskFill,
            boolean fullBorder, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        GlcmSettings d = GlcmSettings.DEFAULTS;
        return Stream.of(
                new Case("3D R1 holes", 7, 6, 5, 1, d, 0.7, false, 1),
                new Case("3D R2 holes", 8, 7, 6, 2, d, 0.75, false, 2),
                new Case("3D R3 sparse", 8, 8, 7, 3, d, 0.5, false, 3),
                new Case("3D R2 full mask touching border", 7, 7, 6, 2, d, 1.0, true, 4),
                new Case("2D force2D R2", 8, 7, 4, 2, d.toBuilder().force2D(true).build(), 0.7, false, 5),
                new Case("2D force2Ddimension=2 (x) R1", 5, 7, 6, 1,
                        d.toBuilder().force2D(true).force2DDimension(2).build(), 0.8, false, 6),
                new Case("3D bin count", 7, 6, 5, 2, d.toBuilder().binCount(8).build(), 0.7, false, 7),
                new Case("3D asymmetric", 7, 6, 5, 2, d.toBuilder().symmetricalGLCM(false).build(), 0.7, false, 8),
                new Case("3D distances 1,2", 7, 7, 6, 2, d.toBuilder().distances(1, 2).build(), 0.8, false, 9),
                new Case("3D manhattan", 7, 6, 5, 1, d.toBuilder().weightingNorm(WeightingNorm.MANHATTAN).build(), 0.7,
                        false, 10),
                new Case("3D no_weighting", 7, 6, 5, 2, d.toBuilder().weightingNorm(WeightingNorm.NO_WEIGHTING).build(),
                        0.7, false, 11),
                new Case("single slice volume", 9, 8, 1, 2, d, 0.7, false, 12))
                .map(Arguments::of);
    }

    private static float[] randomImage(Random rnd, int n) {
        float[] img = new float[n];
        for (int i = 0; i < n; i++) {
            img[i] = (float) (rnd.nextInt(600) - 300); // int16-like values, ~24 bins of width 25
        }
        return img;
    }

    private static boolean[] randomMask(Random rnd, int n, double fill) {
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) {
            m[i] = rnd.nextDouble() < fill;
        }
        m[0] = true;
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void allFeaturesMatchBruteForce(Case c) {
        Random rnd = new Random(c.seed());
        ImageGeometry geo = new ImageGeometry(c.nx(), c.ny(), c.nz(), new double[] {0.8, 0.9, 1.5}, new double[3],
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        int n = geo.voxelCount();
        float[] img = randomImage(rnd, n);
        boolean[] mask = randomMask(rnd, n, c.maskFill());
        List<GlcmFeature> features = GlcmFeature.all();
        double[][] ref = BruteForceVoxelGlcm.compute(geo, img, mask, c.settings(), c.radius(), features, false);
        for (VoxelGlcmMaps.Method method : VoxelGlcmMaps.Method.values()) {
            for (int threads : new int[] {1, 3}) {
                VoxelMaps maps = VoxelGlcmMaps.builder().settings(c.settings()).features(features)
                        .kernelRadius(c.radius()).threads(threads).method(method).build()
                        .compute(Volume.wrap(geo, img.clone()), mask);
                for (int f = 0; f < features.size(); f++) {
                    assertClose(c + " " + method + " threads " + threads + " " + features.get(f), ref[f],
                            maps.values(features.get(f)));
                }
            }
        }
    }

    @Test
    void paperFeaturesMatchTextbookFormulas() {
        Random rnd = new Random(42);
        ImageGeometry geo = ImageGeometry.of(9, 8, 7, 1, 1, 1);
        float[] img = randomImage(rnd, geo.voxelCount());
        boolean[] mask = randomMask(rnd, geo.voxelCount(), 0.8);
        List<GlcmFeature> four = GlcmFeature.paperFeatures();
        for (int r = 1; r <= 3; r++) {
            double[][] ref = BruteForceVoxelGlcm.compute(geo, img, mask, GlcmSettings.DEFAULTS, r, four, true);
            VoxelMaps maps = VoxelGlcmMaps.builder().kernelRadius(r).build().compute(Volume.wrap(geo, img.clone()), mask);
            for (int f = 0; f < four.size(); f++) {
                assertClose("R=" + r + " " + four.get(f), ref[f], maps.values(four.get(f)));
            }
        }
    }

    @Test
    void isolatedVoxelHasNoValueAndOutsideIsNaN() {
        ImageGeometry geo = ImageGeometry.of(7, 7, 7, 1, 1, 1);
        float[] img = new float[geo.voxelCount()];
        boolean[] mask = new boolean[geo.voxelCount()];
        mask[geo.index(1, 1, 1)] = true; // alone: no pair in any direction
        mask[geo.index(5, 5, 5)] = true;
        mask[geo.index(5, 5, 6)] = true;
        img[geo.index(5, 5, 6)] = 100;
        VoxelMaps maps = VoxelGlcmMaps.builder().kernelRadius(1).build().compute(Volume.wrap(geo, img), mask);
        double[] contrast = maps.values(GlcmFeature.Contrast);
        assertThat(contrast[geo.index(1, 1, 1)]).isNaN();
        assertThat(contrast[geo.index(0, 0, 0)]).isNaN();
        assertThat(contrast[geo.index(5, 5, 5)]).isEqualTo(16.0); // bins 1 and 5: (5-1)^2
        assertThat(maps.values(GlcmFeature.JointAverage)[geo.index(5, 5, 6)]).isEqualTo(3.0);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> VoxelGlcmMaps.builder().kernelRadius(0).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("kernel radius");
        assertThatThrownBy(() -> VoxelGlcmMaps.builder().threads(0).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("threads");
        ImageGeometry geo = ImageGeometry.of(4, 4, 4, 1, 1, 1);
        Volume v = Volume.wrap(geo, new float[64]);
        VoxelGlcmMaps maps = VoxelGlcmMaps.builder().build();
        assertThatThrownBy(() -> maps.compute(v, new boolean[64]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> maps.compute(v, new boolean[10]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("mask has 10 voxels");
        float[] nan = new float[64];
        nan[3] = Float.NaN;
        boolean[] all = new boolean[64];
        java.util.Arrays.fill(all, true);
        assertThatThrownBy(() -> maps.compute(Volume.wrap(geo, nan), all))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("non-finite");
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        int valued = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                assertThat(Double.isNaN(a)).as(what + " NaN pattern at voxel " + i + " expected " + e + " got " + a)
                        .isEqualTo(Double.isNaN(e));
                continue;
            }
            valued++;
            double tol = Math.max(1e-9, 1e-9 * Math.abs(e));
            assertThat(Math.abs(a - e)).as(what + " at voxel " + i + ": expected " + e + " got " + a).isLessThanOrEqualTo(tol);
        }
        assertThat(valued).as(what + ": some voxels must have values").isPositive();
    }
}
