package io.osteo.train.dataset;

import io.osteo.model.packaging.Normalization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortDatasetTest {
    @TempDir
    static Path dir;
    static Manifest manifest;

    @BeforeAll
    static void cohort() {
        SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(3).threads(2).configJson("""
                {"scale": 0.004, "patch": {"size": 16, "spacingMm": 1.6},
                 "population": {"unlabelledRatio": 1.0, "unlabelledPerLabelledPatient": 1}}""")
                .build().write(dir.resolve("cohort"));
        manifest = ManifestReader.read(dir.resolve("cohort/manifest.csv"));
    }

    @Test
    void labelledItemsHaveChannelsDeviceAndTargets() throws Exception {
        VertebraDataset ds = VertebraDataset.builder().manifest(manifest).splits(Split.TRAIN, Split.TEST)
                .channels(HuWindowChannels.of(Normalization.huWindow(-200, 1200), Normalization.huWindow(-100, 300)))
                .setSampling(new SeededSampler(4, 1, true, false)).build();
        ds.prepare();
        assertThat(ds.size()).isEqualTo(manifest.split(Split.TRAIN, Split.TEST).size());
        try (NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < ds.size(); i++) {
                ManifestEntry e = ds.entries().get(i);
                Record r = ds.get(m, i);
                NDList data = r.getData();
                NDList labels = r.getLabels();
                assertThat(data.get(0).getShape()).isEqualTo(new Shape(2, 16, 16, 16));
                assertThat(data.get(0).getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(data.get(1).getInt()).isEqualTo(e.device().embeddingIndex());
                assertThat(labels.get(0).getInt()).isEqualTo(e.label() ? 1 : 0);
                assertThat(labels.get(1).getShape()).isEqualTo(new Shape(1));
                assertThat((double) labels.get(1).getFloat()).isCloseTo(e.bmd(), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(labels.get(2).getInt()).isEqualTo(e.level().classIndex());
                float[] bone = data.get(0).get(0).toFloatArray();
                float[] image = VolumeIo.readVolume(e.image()).toArray();
                for (int k = 0; k < image.length; k += 97) {
                    double hu = Math.min(1200, Math.max(-200, image[k]));
                    assertThat((double) bone[k]).isCloseTo((hu + 200) / 1400,
                            org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            int items = 0;
            for (Batch b : ds.getData(m)) {
                assertThat(b.getData().get(0).getShape().get(0)).isBetween(1L, 4L);
                assertThat(b.getData().get(0).getShape().slice(1)).isEqualTo(new Shape(2, 16, 16, 16));
                assertThat(b.getLabels().get(1).getShape().slice(1)).isEqualTo(new Shape(1));
                items += (int) b.getSize();
                b.close();
            }
            assertThat(items).isEqualTo((int) ds.size());
        }
    }

    @Test
    void midSlicesAndPretrainStacks() throws Exception {
        PretrainDataset pre = PretrainDataset.builder().manifest(manifest).sliceMode(SliceMode.MID_SAGITTAL)
                .setSampling(new SeededSampler(2, 1, false, true)).build();
        VertebraDataset axial = VertebraDataset.builder().manifest(manifest).sliceMode(SliceMode.MID_AXIAL)
                .setSampling(new SeededSampler(2, 1, false, true)).build();
        assertThat(pre.size()).isEqualTo(manifest.split(Split.PRETRAIN).size());
        try (NDManager m = NDManager.newBaseManager()) {
            Record r = pre.get(m, 0);
            assertThat(r.getData().singletonOrThrow().getShape()).isEqualTo(new Shape(1, 16, 16));
            assertThat(r.getLabels()).isEmpty();
            float[] sag = r.getData().singletonOrThrow().toFloatArray();
            float[] image = VolumeIo.readVolume(pre.entries().get(0).image()).toArray();
            // sagittal slice x = 8: element (z, y) = voxel (8, y, z)
            double hu = Math.min(1300, Math.max(-200, image[8 + 16 * (5 + 16 * 3)])); // default bone window
            assertThat((double) sag[3 * 16 + 5]).isCloseTo((hu + 200) / 1500, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(axial.get(m, 0).getData().get(0).getShape()).isEqualTo(new Shape(1, 16, 16));
            for (Batch b : pre.getData(m)) {
                assertThat(b.getData().singletonOrThrow().getShape()).isEqualTo(new Shape(2, 1, 16, 16));
                b.close();
            }
        }
    }

    @Test
    void channelsAreComputedOnceAndCachedOnDisk() throws Exception {
        Path cache = dir.resolve("cache-once");
        VertebraDataset ds = VertebraDataset.builder().manifest(manifest).cacheFolder(cache)
                .setSampling(new SeededSampler(2, 1, false, false)).build();
        ds.prepare();
        List<Path> files = cacheFiles(cache);
        assertThat(files).hasSize((int) ds.size());
        FileTime old = FileTime.fromMillis(0);
        for (Path f : files) {
            Files.setLastModifiedTime(f, old);
        }
        VertebraDataset again = VertebraDataset.builder().manifest(manifest).cacheFolder(cache)
                .setSampling(new SeededSampler(2, 1, false, false)).build();
        again.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            again.get(m, 0);
        }
        assertThat(cacheFiles(cache)).hasSameElementsAs(files);
        for (Path f : files) {
            assertThat(Files.getLastModifiedTime(f)).isEqualTo(old); // read, not rewritten
        }
        // other settings: other entries
        VertebraDataset other = VertebraDataset.builder().manifest(manifest).cacheFolder(cache)
                .channels(HuWindowChannels.of(Normalization.huWindow(0, 500))).setSampling(new SeededSampler(2, 1, false, false))
                .build();
        other.prepare();
        assertThat(cacheFiles(cache)).hasSize(2 * files.size());
    }

    @Test
    void seededSamplerGivesReproduciblePermutationsThatChangePerEpoch() {
        SeededSampler a = new SeededSampler(3, 42, true, false);
        SeededSampler b = new SeededSampler(3, 42, true, false);
        long[] e0 = a.order(50, 0);
        assertThat(e0).isEqualTo(b.order(50, 0));
        assertThat(e0).isNotEqualTo(a.order(50, 1));
        Set<Long> seen = new HashSet<>();
        for (long v : e0) {
            seen.add(v);
        }
        assertThat(seen).hasSize(50);
        // Fisher-Yates can leave an item in place (Sattolo never does)
        int fixed = 0;
        for (int epoch = 0; epoch < 20; epoch++) {
            long[] o = a.order(10, epoch);
            for (int i = 0; i < o.length; i++) {
                fixed += o[i] == i ? 1 : 0;
            }
        }
        assertThat(fixed).isPositive();
        VertebraDataset ds = VertebraDataset.builder().manifest(manifest).setSampling(a).build();
        List<Long> first = flatten(a.sample(ds));
        assertThat(a.epoch()).isEqualTo(1);
        b.setEpoch(0);
        assertThat(flatten(b.sample(ds))).isEqualTo(first);
        assertThat(new SeededSampler(4, 1, false, true).order(5, 3)).containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> new SeededSampler(0, 1, true, true)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void misconfiguredDatasetsAreRejected() {
        assertThatThrownBy(() -> VertebraDataset.builder().manifest(manifest).splits(Split.PRETRAIN)
                .setSampling(new SeededSampler(2, 1, false, false)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no label");
        assertThatThrownBy(() -> VertebraDataset.builder().manifest(manifest).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sampler");
        assertThatThrownBy(() -> PretrainDataset.builder().setSampling(new SeededSampler(2, 1, false, false)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("manifest");
    }

    private static List<Long> flatten(Iterator<List<Long>> it) {
        List<Long> out = new ArrayList<>();
        it.forEachRemaining(out::addAll);
        return out;
    }

    private static List<Path> cacheFiles(Path cache) throws Exception {
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(p -> p.toString().endsWith(".f32")).sorted().toList();
        }
    }
}
