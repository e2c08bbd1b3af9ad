package io.osteo.model.screener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.Decision;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.SkipReason;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelPackageException;
import io.osteo.model.packaging.OsteoModel;
import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.pool.TexturePoolSettings;
import io.osteo.radiomics.roi.VertebraRoi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model-backed screener end to end on the real CT, with a tiny untrained model. */
class ModelScreenerTest {

    @TempDir
    static Path tmp;
    static Path modelDir;
    static Study study;

    @BeforeAll
    static void setUp() {
        modelDir = TinyUntrainedModel.write(tmp.resolve("model"));
        String shared = System.getProperty("osteo.shared.dir");
        if (shared == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        Path dir = Path.of(shared, "data", "totalsegmentator");
        study = Study.of("totalsegmentator-example", VolumeIo.readVolume(dir.resolve("example_ct_sm.nii.gz")),
                VolumeIo.readLabels(dir.resolve("example_seg.nii.gz")), LabelScheme.totalSegmentatorV2());
    }

    @Test
    void screensTheRealCt() {
        try (OsteoScreener screener = OsteoScreener.builder().model(modelDir).device("cpu").build()) {
            assertThat(screener).isInstanceOf(ModelScreener.class);
            ScreeningReport r = screener.screen(study);
            assertThat(r.vertebrae()).extracting(VertebraFinding::level)
                    .containsExactly(VertebraLevel.T12, VertebraLevel.L1, VertebraLevel.L2);
            assertThat(r.skipped()).singleElement().satisfies(s -> {
                assertThat(s.level()).isEqualTo(VertebraLevel.T11);
                assertThat(s.reason()).isEqualTo(SkipReason.PARTIAL_AT_SCAN_EDGE);
            });
            assertThat(r.screener().kind()).isEqualTo("model");
            assertThat(r.screener().name()).isEqualTo("tiny-untrained-test-model");
            assertThat(r.screener().version()).startsWith("sha256:");
            assertThat(r.screener().computeDevice()).isEqualTo("cpu()");
            assertThat(r.settings()).containsEntry("operatingThreshold", "0.5")
                    .containsEntry("operatingThresholdSource", "model descriptor").containsKey("roi.patchSize");
            DxaReference ref = DxaReference.defaults();
            for (VertebraFinding f : r.vertebrae()) {
                assertThat(f.decision()).isEqualTo(f.probability() >= 0.5 ? Decision.POSITIVE : Decision.NEGATIVE);
                assertThat(f.estimatedTScore()).isCloseTo(ref.tScore(DxaDevice.HOLOGIC, Sex.FEMALE, f.estimatedBmd()),
                        within(1e-9));
                assertThat(f.predictedLevel()).isNotNull();
                assertThat(f.levelDisagreement()).isEqualTo(f.predictedLevel() != f.level()
                        && f.predictedLevelProbability() >= ModelScreener.DEFAULT_LEVEL_CHECK_PROBABILITY
                        && Math.abs(f.predictedLevel().position() - f.level().position()) >= 2);
                assertThat(f.trabecularHu().meanHu()).isBetween(50.0, 400.0);
                assertThat(f.unavailable()).isEmpty();
            }
            assertThat(r.notes()).anyMatch(n -> n.startsWith("patient sex not given"));
            assertThat(r.outOfDistribution()).singleElement().asString().contains("records no training envelope");
            for (VertebraFinding f : r.vertebrae()) {
                boolean implausible = f.estimatedBmd() < 0.2 || f.estimatedBmd() > 2.5;
                assertThat(r.notes().stream().anyMatch(n -> n.startsWith(f.level() + ": estimated BMD")))
                        .isEqualTo(implausible);
            }
            assertThat(r.intendedUse().coveredLevels()).containsExactly(VertebraLevel.T12, VertebraLevel.L1,
                    VertebraLevel.L2);
            String json = r.toJson();
            assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
            assertThat(ScreeningReportJson.fromJson(json)).isEqualTo(r);
        }
    }

    @Test
    void reportDeviceSexAndThresholdAreHonoured() {
        try (OsteoScreener low = OsteoScreener.builder().model(modelDir).device("cpu").operatingThreshold(1e-6)
                        .reportDevice(DxaDevice.GE_LUNAR).build();
                OsteoScreener high = OsteoScreener.builder().model(modelDir).device("cpu").operatingThreshold(1 - 1e-6)
                        .build()) {
            ScreeningReport l = low.screen(study.withSex(Sex.MALE));
            assertThat(l.vertebrae()).allMatch(f -> f.decision() == Decision.POSITIVE);
            assertThat(l.patient().decision()).isEqualTo(Decision.POSITIVE);
            assertThat(l.reportDevice()).isEqualTo(DxaDevice.GE_LUNAR);
            for (VertebraFinding f : l.vertebrae()) {
                assertThat(f.estimatedTScore()).isCloseTo(
                        DxaReference.defaults().tScore(DxaDevice.GE_LUNAR, Sex.MALE, f.estimatedBmd()), within(1e-9));
            }
            assertThat(l.settings()).containsEntry("operatingThresholdSource", "caller").containsEntry("patientSex", "MALE");
            ScreeningReport h = high.screen(study);
            assertThat(h.vertebrae()).allMatch(f -> f.decision() == Decision.NEGATIVE);
            assertThat(h.patient().decision()).isEqualTo(Decision.NEGATIVE);
            // the device embedding is part of the network input: another device, another BMD
            assertThat(l.vertebrae().get(0).estimatedBmd()).isNotEqualTo(h.vertebrae().get(0).estimatedBmd());
        }
    }

    @Test
    void eightThreadsGiveTheSequentialResults() throws Exception {
        try (OsteoScreener screener = OsteoScreener.builder().model(modelDir).device("cpu").workers(4).build()) {
            ScreeningReport expected = screener.screen(study);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<ScreeningReport>> futures = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    futures.add(pool.submit(() -> screener.screen(study)));
                }
                for (Future<ScreeningReport> f : futures) {
                    assertThat(f.get()).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
            List<ScreeningReport> batch = screener.screenAll(List.of(study, study, study, study, study));
            assertThat(batch).hasSize(5).allMatch(expected::equals);
        }
    }

    @Test
    void nativeMemoryStaysFlatOverManyScreenings() throws IOException {
        try (OsteoScreener screener = OsteoScreener.builder().model(modelDir).device("cpu").build()) {
            ModelScreener model = (ModelScreener) screener;
            for (int i = 0; i < 10; i++) { // warm-up: allocator pools and JIT settle
                screener.screen(study);
            }
            System.gc();
            int arrays = model.liveArrayCount();
            long before = residentKb();
            for (int i = 0; i < 30; i++) {
                screener.screen(study);
            }
            System.gc();
            // no NDArray survives a screening (parameters only), and the process does not grow:
            // leaking one forward pass per screening (3 patches of 16x32x32 floats in, ~1 MiB of
            // activations) would add ~40 MiB over 30 screenings; measured without a leak: < 5 MiB
            assertThat(model.liveArrayCount()).as("NDArrays under the model's manager").isEqualTo(arrays);
            long growthMb = (residentKb() - before) / 1024;
            assertThat(growthMb).as("resident memory growth over 30 screenings, MiB").isLessThan(16);
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void corruptOrMissingModelFailsAtBuildWithTypedErrors() throws IOException {
        Path corrupt = TinyUntrainedModel.write(tmp.resolve("corrupt"));
        Path params = corrupt.resolve(TinyUntrainedModel.descriptor().paramsFileName());
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(params, bytes);
        assertThatThrownBy(() -> OsteoScreener.builder().model(corrupt).device("cpu").build())
                .isInstanceOf(ModelPackageException.class).hasMessageContaining(corrupt.toString())
                .hasMessageContaining("SHA-256");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> OsteoScreener.builder().model(empty).device("cpu").build())
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("osteoscreen-model.json is missing");

        Path truncated = TinyUntrainedModel.write(tmp.resolve("truncated"));
        Files.writeString(truncated.resolve("osteoscreen-model.json"), "{\"formatVersion\": 1, \"name\": ");
        assertThatThrownBy(() -> OsteoScreener.builder().model(truncated).device("cpu").build())
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("invalid");
    }

    @Test
    void texturePoolModelIsFedTheDescriptorsPool() {
        ModelDescriptor d = TinyUntrainedModel.texturePoolDescriptor();
        Path dir = TinyUntrainedModel.write(tmp.resolve("texture-model"), d);
        io.osteo.model.packaging.Preprocessing input = d.preprocessing();
        VertebraRoi roi = input.extractor().extract(study).rois().get(1);
        float[] tensor = input.tensor(roi);
        float[] pool = TexturePool.of(TexturePoolSettings.fromJson(d.input().texturePool().toString()))
                .compute(roi.patch(), roi.patchMask(), VertebraRoi.BODY).toArray();
        int n = roi.patch().geometry().voxelCount();
        assertThat(tensor).hasSize(5 * n);
        assertThat(Arrays.copyOfRange(tensor, n, 5 * n)).containsExactly(Arrays.copyOfRange(pool, n, 5 * n));
        assertThat(tensor[0]).isEqualTo(d.input().normalization().apply(roi.patch().get(0)));
        try (OsteoScreener screener = OsteoScreener.builder().model(dir).device("cpu").build()) {
            ScreeningReport r = screener.screen(study);
            assertThat(r.vertebrae()).hasSize(3);
            assertThat(r.settings().get("model.texturePool")).contains("Autocorrelation");
        }
    }

    @Test
    void readyPatchesAreScreenedLikeTheWholeCt() {
        // crop the box x 40..75, y 12..50, z 2..24 around L1 (label 31) out of the real CT
        var ct = study.ct().orElseThrow();
        var labels = study.labels().orElseThrow();
        var g = ct.geometry();
        int[] lo = {40, 12, 2};
        int[] size = {36, 39, 23};
        float[] v = new float[size[0] * size[1] * size[2]];
        int[] m = new int[v.length];
        int i = 0;
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++, i++) {
                    v[i] = ct.get(lo[0] + x, lo[1] + y, lo[2] + z);
                    m[i] = labels.get(lo[0] + x, lo[1] + y, lo[2] + z) == 31 ? 1 : 0;
                }
            }
        }
        var box = g.withGrid(size[0], size[1], size[2], g.spacing(), g.indexToWorld(lo[0], lo[1], lo[2]));
        Study patches = Study.ofPatches("l1-patch", List.of(new io.osteo.api.screening.VertebraPatch(VertebraLevel.L1,
                io.osteo.api.volume.Volume.wrap(box, v), io.osteo.api.volume.LabelMap.wrap(box, m))));
        try (OsteoScreener screener = OsteoScreener.builder().model(modelDir).device("cpu").build()) {
            VertebraFinding fromPatch = screener.screen(patches).vertebrae().get(0);
            VertebraFinding fromCt = screener.screen(study).finding(VertebraLevel.L1).orElseThrow();
            // same voxels at the same world position: the same patch (up to rounding of the grid
            // mapping), the same prediction
            assertThat(fromPatch.trabecularHu()).isEqualTo(fromCt.trabecularHu());
            assertThat(fromPatch.probability()).isCloseTo(fromCt.probability(), within(1e-5));
            assertThat(fromPatch.estimatedBmd()).isCloseTo(fromCt.estimatedBmd(), within(1e-4));
            assertThat(fromPatch.labels()).isEmpty();
        }
    }

    @Test
    void criteriaSourceGivesTheSameReportAsTheDirectory() {
        try (OsteoScreener dir = OsteoScreener.builder().model(modelDir).device("cpu").build();
                OsteoScreener crit = OsteoScreener.builder()
                        .model(CriteriaModelSource.of(OsteoModel.criteria(modelDir, Device.cpu()),
                                DescriptorJson.read(modelDir)))
                        .build()) {
            assertThat(crit.screen(study).vertebrae()).isEqualTo(dir.screen(study).vertebrae());
        }
    }
}
