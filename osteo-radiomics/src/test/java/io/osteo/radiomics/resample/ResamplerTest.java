package io.osteo.radiomics.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** A volume whose HU is an affine function of the world position: trilinear must reproduce it. */
    private static Volume ramp(ImageGeometry g) {
        float[] v = new float[g.voxelCount()];
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] w = g.indexToWorld(x, y, z);
                    v[g.index(x, y, z)] = (float) (2 * w[0] - 3 * w[1] + 0.5 * w[2] + 10);
                }
            }
        }
        return Volume.wrap(g, v);
    }

    @Test
    void linearReproducesAnAffineFieldOnAnObliqueFlippedGrid() {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        // rotated about z, and the k axis reversed
        ImageGeometry src = new ImageGeometry(30, 30, 20, new double[] {0.8, 0.8, 2.5}, new double[] {-10, -5, 40},
                new double[] {c, -s, 0, s, c, 0, 0, 0, -1});
        Volume v = ramp(src);
        ImageGeometry target = io.osteo.radiomics.resample.Resampler.centredGrid(src.indexToWorld(15, 14, 10),
                new int[] {10, 9, 8}, new double[] {1.1, 0.9, 1.7});
        Volume out = Resampler.linear(v, target, -1024f);
        Volume expected = ramp(target);
        for (int i = 0; i < target.voxelCount(); i++) {
            assertThat(out.get(i)).isCloseTo(expected.get(i), within(1e-2f));
        }
    }

    @Test
    void identityGridReturnsTheSameVoxels() {
        ImageGeometry g = ImageGeometry.of(7, 6, 5, 1.2, 0.7, 3);
        Volume v = ramp(g);
        assertThat(Resampler.linear(v, g, 0f).toArray()).containsExactly(v.toArray(), within(1e-3f));
    }

    @Test
    void outsideTheScanGetsTheOutsideValue() {
        ImageGeometry g = ImageGeometry.of(4, 4, 4, 1, 1, 1);
        Volume v = ramp(g);
        ImageGeometry far = g.withGrid(2, 2, 2, g.spacing(), new double[] {100, 100, 100});
        assertThat(Resampler.linear(v, far, -1024f).toArray()).containsOnly(-1024f);
        assertThat(Resampler.nearest(new LabelMap(g, new int[64]), far, 7).toArray()).containsOnly(7);
    }

    @Test
    void nearestKeepsLabelValuesAndPicksTheClosestVoxel() {
        ImageGeometry g = ImageGeometry.of(4, 1, 1, 2, 1, 1);
        LabelMap l = new LabelMap(g, new int[] {3, 5, 9, 11});
        // 1 mm grid over 0..6 mm: positions 0,1,2,... -> source indices 0,0.5,1,...
        ImageGeometry fine = ImageGeometry.of(7, 1, 1, 1, 1, 1);
        int[] out = Resampler.nearest(l, fine, -1).toArray();
        assertThat(out).containsExactly(3, 5, 5, 9, 9, 11, 11);
    }
}
