package io.osteo.radiomics.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.voxel.VoxelGlcmMaps;
import io.osteo.radiomics.voxel.VoxelMaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TexturePoolTest {

    private static final ImageGeometry GEO = new ImageGeometry(12, 11, 9, new double[] {0.7, 0.7, 1.25},
            new double[] {-10, 5, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private static Volume image(long seed) {
        Random r = new Random(seed);
        float[] v = new float[GEO.voxelCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 + r.nextInt(800);
        }
        return Volume.wrap(GEO, v);
    }

    private static boolean[] ellipsoid() {
        boolean[] m = new boolean[GEO.voxelCount()];
        for (int z = 0; z < GEO.nz(); z++) {
            for (int y = 0; y < GEO.ny(); y++) {
                for (int x = 0; x < GEO.nx(); x++) {
                    double dx = (x - 5.5) / 5.0;
                    double dy = (y - 5.0) / 4.5;
                    double dz = (z - 4.0) / 3.5;
                    m[GEO.index(x, y, z)] = dx * dx + dy * dy + dz * dz <= 1.0;
                }
            }
        }
        return m;
    }

    @Test
    void strideOneIsTheExactMapsNormalisedAndFilled() {
        Volume img = image(1);
        boolean[] mask = ellipsoid();
        TexturePoolResult r = TexturePool.builder().normalization(Normalization.none()).fillValue(-7f).build()
                .compute(img, mask);
        assertThat(r.channelNames()).containsExactly("original", "Autocorrelation", "JointAverage", "Contrast",
                "DifferenceAverage");
        VoxelMaps exact = VoxelGlcmMaps.builder().build().compute(img, mask);
        for (int c = 1; c < 5; c++) {
            double[] e = exact.values(GlcmFeature.paperFeatures().get(c - 1));
            float[] got = r.channel(c).toArray();
            for (int i = 0; i < e.length; i++) {
                assertThat(got[i]).isEqualTo(Double.isNaN(e[i]) ? -7f : (float) e[i]);
            }
        }
        assertThat(r.channel("original").toArray()).containsExactly(img.toArray());
    }

    @Test
    void zScoreHasZeroMeanUnitSdOverTheRoiAndRecordsItsScales() {
        boolean[] mask = ellipsoid();
        TexturePoolResult r = TexturePool.builder().build().compute(image(2), mask);
        for (int c = 0; c < r.channelCount(); c++) {
            float[] v = r.channel(c).toArray();
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int i = 0; i < v.length; i++) {
                assertThat(Float.isNaN(v[i])).isFalse();
                if (mask[i]) {
                    sum += v[i];
                    sq += v[i] * (double) v[i];
                    n++;
                }
            }
            assertThat(sum / n).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(Math.sqrt(sq / n)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(r.scales().get(c).scale()).isPositive();
        }
        // a FIXED normalisation with the recorded scales reproduces the pool exactly
        TexturePoolResult again = TexturePool.builder().normalization(Normalization.fixed(r.scales())).build()
                .compute(image(2), mask);
        for (int c = 0; c < r.channelCount(); c++) {
            assertThat(again.channel(c).toArray()).containsExactly(r.channel(c).toArray());
        }
    }

    @Test
    void strideInterpolatesBetweenExactSamples() {
        Volume img = image(3);
        boolean[] mask = ellipsoid();
        TexturePool strided = TexturePool.builder().normalization(Normalization.none()).fillValue(Float.MAX_VALUE)
                .stride(2).build();
        TexturePoolResult r = strided.compute(img, mask);
        VoxelMaps exact = VoxelGlcmMaps.builder().build().compute(img, mask);
        double[] e = exact.values(GlcmFeature.Contrast);
        float[] s = r.channel("Contrast").toArray();
        int samples = 0;
        for (int z = 0; z < GEO.nz(); z += 2) {
            for (int y = 0; y < GEO.ny(); y += 2) {
                for (int x = 0; x < GEO.nx(); x += 2) {
                    int v = GEO.index(x, y, z);
                    if (mask[v] && !Double.isNaN(e[v])) {
                        assertThat(s[v]).isEqualTo((float) e[v]); // sample voxels are exact
                        samples++;
                    }
                }
            }
        }
        assertThat(samples).isGreaterThan(20);
        // an interior voxel between two samples along x only: the mean of its neighbours
        int v = GEO.index(5, 4, 4);
        assertThat(s[v]).isCloseTo((float) ((e[GEO.index(4, 4, 4)] + e[GEO.index(6, 4, 4)]) / 2),
                org.assertj.core.data.Offset.offset(1e-3f));
        for (int i = 0; i < s.length; i++) {
            assertThat(s[i] == Float.MAX_VALUE).as("fill exactly outside the ROI at " + i).isEqualTo(!mask[i]);
        }
        assertThat(TexturePool.samples(9, 2)).containsExactly(0, 2, 4, 6, 8);
        assertThat(TexturePool.samples(10, 4)).containsExactly(0, 4, 8, 9);
    }

    @Test
    void settingsRoundTripThroughJson() {
        TexturePool pool = TexturePool.builder().features(GlcmFeature.Contrast, GlcmFeature.Idmn).kernelRadius(3)
                .binCount(32).force2D(true).stride(2).fillValue(-1f)
                .normalization(Normalization.fixed(List.of(new Normalization.ChannelScale(40, 200),
                        new Normalization.ChannelScale(1, 2), new Normalization.ChannelScale(0.5, 0.25))))
                .build();
        String json = pool.settings().toJson();
        TexturePoolSettings back = TexturePoolSettings.fromJson(json);
        assertThat(back).isEqualTo(pool.settings());
        assertThat(TexturePool.of(back).settings()).isEqualTo(pool.settings());
        assertThatThrownBy(() -> TexturePoolSettings.fromJson("{\"features\": [\"Nope\"]}"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TexturePoolSettings.fromJson("{not json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("JSON");
    }

    @Test
    void labelMapAndBadInput() {
        int[] labels = new int[GEO.voxelCount()];
        boolean[] mask = ellipsoid();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = mask[i] ? 3 : 0;
        }
        TexturePool pool = TexturePool.builder().build();
        TexturePoolResult a = pool.compute(image(4), LabelMap.wrap(GEO, labels));
        TexturePoolResult b = pool.compute(image(4), LabelMap.wrap(GEO, labels), 3);
        assertThat(a.toArray()).containsExactly(b.toArray());
        assertThat(a.toArray()).hasSize(5 * GEO.voxelCount());
        assertThatThrownBy(() -> pool.compute(image(4), LabelMap.wrap(GEO, labels), 7))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> TexturePool.builder().stride(0).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("stride");
        assertThatThrownBy(() -> TexturePool.builder().features(List.of()).build())
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> TexturePool.builder().normalization(Normalization.fixed(
                List.of(Normalization.ChannelScale.IDENTITY))).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("channels");
        ImageGeometry other = ImageGeometry.of(3, 3, 3, 1, 1, 1);
        assertThatThrownBy(() -> pool.compute(image(4), new LabelMap(other, new int[27])))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("grid");
    }

    @Test
    void cacheStoresValidatesAndRecomputes(@TempDir Path dir) throws Exception {
        TexturePool pool = TexturePool.builder().glcm(GlcmSettings.builder().binWidth(50).build()).build();
        TexturePoolCache cache = new TexturePoolCache(dir);
        Volume img = image(5);
        boolean[] mask = ellipsoid();
        TexturePoolResult first = cache.getOrCompute(pool, img, mask);
        String key = TexturePoolCache.key(pool.settings(), img, mask);
        Path file = cache.file(key);
        assertThat(file).exists();
        TexturePoolResult cached = TexturePoolCache.read(file, key, pool.settings());
        assertThat(cached.toArray()).containsExactly(first.toArray());
        assertThat(cached.scales()).isEqualTo(first.scales());
        assertThat(cached.geometry()).isEqualTo(img.geometry());
        assertThat(cache.getOrCompute(pool, img, mask).toArray()).containsExactly(first.toArray());
        // another mask or setting is another key
        boolean[] other = mask.clone();
        other[GEO.index(5, 5, 4)] = !other[GEO.index(5, 5, 4)];
        assertThat(TexturePoolCache.key(pool.settings(), img, other)).isNotEqualTo(key);
        assertThat(TexturePoolCache.key(TexturePool.builder().build().settings(), img, mask)).isNotEqualTo(key);
        // truncated entries are rejected with a typed error and recomputed by getOrCompute
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> TexturePoolCache.read(file, key, pool.settings())).isInstanceOf(OsteoException.class)
                .hasMessageContaining(file.toString());
        assertThat(cache.getOrCompute(pool, img, mask).toArray()).containsExactly(first.toArray());
        assertThat(TexturePoolCache.read(file, key, pool.settings()).toArray()).containsExactly(first.toArray());
        assertThatThrownBy(() -> TexturePoolCache.read(file, "other", pool.settings()))
                .isInstanceOf(OsteoException.class).hasMessageContaining("key");
    }
}
