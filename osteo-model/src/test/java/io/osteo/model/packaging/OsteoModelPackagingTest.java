package io.osteo.model.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.model.TinyNets;
import io.osteo.model.net.OsteoNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsteoModelPackagingTest {

    @TempDir
    Path tmp;

    static ModelDescriptor descriptor() {
        JsonObject pool = new JsonObject();
        pool.addProperty("kernelRadius", 2);
        pool.addProperty("binWidth", 25.0);
        return ModelDescriptor.of("tiny", TinyNets.moe(),
                        new InputSpec(1, List.of(1.0, 1.0, 1.0), pool, Normalization.huWindow(-200, 1200)),
                        new Provenance("2026-11-26T00:00:00Z", "test", 5L, "none", Map.of("epochs", "0")))
                .withOperatingThreshold(0.4)
                .withBmdScaling(new BmdScaling(0.9, 0.15));
    }

    static List<VertebraPatch> patches(int n, long seed) {
        Random r = new Random(seed);
        List<VertebraPatch> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[16 * 16 * 16];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            list.add(new VertebraPatch(v, DxaDevice.values()[i % DxaDevice.values().length]));
        }
        return list;
    }

    private Path saved() {
        Engine.getInstance().setRandomSeed(3);
        Path dir = tmp.resolve("model");
        try (OsteoModel model = OsteoModel.create(descriptor(), Device.cpu())) {
            model.save(dir);
        }
        return dir;
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        Path dir = tmp.resolve("model");
        List<VertebraPatch> input = patches(5, 9);
        List<VertebraPrediction> before;
        try (OsteoModel model = OsteoModel.create(descriptor(), Device.cpu());
                Predictor<VertebraPatch, VertebraPrediction> p = model.newPredictor()) {
            ModelDescriptor written = model.save(dir);
            assertThat(written.paramsSha256()).hasSize(64);
            before = p.batchPredict(input);
        }
        try (OsteoModel loaded = OsteoModel.load(dir, Device.cpu());
                Predictor<VertebraPatch, VertebraPrediction> p = loaded.newPredictor()) {
            assertThat(loaded.descriptor().input().texturePool().get("kernelRadius").getAsInt()).isEqualTo(2);
            assertThat(loaded.descriptor().architecture()).isEqualTo(TinyNets.moe());
            assertThat(p.batchPredict(input)).isEqualTo(before);
        }
        // the standard DJL way gives the same predictions (up to float rounding: observed ~1e-8)
        try (ZooModel<VertebraPatch, VertebraPrediction> zoo = OsteoModel.criteria(dir, Device.cpu()).loadModel();
                Predictor<VertebraPatch, VertebraPrediction> p = zoo.newPredictor()) {
            List<VertebraPrediction> viaZoo = p.batchPredict(input);
            for (int i = 0; i < input.size(); i++) {
                assertClose(viaZoo.get(i), before.get(i));
            }
            assertClose(p.predict(input.get(0)), before.get(0));
        }
        VertebraPrediction first = before.get(0);
        assertThat(first.gateWeights()).hasSize(3);
        assertThat(first.gateWeights().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-5));
        assertThat(first.positionProbabilities()).hasSize(18);
        assertThat(first.positive()).isEqualTo(first.probability() >= 0.4);
    }

    private static void assertClose(VertebraPrediction actual, VertebraPrediction expected) {
        assertThat(actual.probability()).isCloseTo(expected.probability(), within(1e-6));
        assertThat(actual.bmdGcm2()).isCloseTo(expected.bmdGcm2(), within(1e-6));
        assertThat(actual.positive()).isEqualTo(expected.positive());
        assertThat(actual.mostLikelyLevel()).isEqualTo(expected.mostLikelyLevel());
        for (int k = 0; k < 18; k++) {
            assertThat(actual.positionProbabilities().get(k))
                    .isCloseTo(expected.positionProbabilities().get(k), within(1e-6));
        }
        for (int k = 0; k < expected.gateWeights().size(); k++) {
            assertThat(actual.gateWeights().get(k)).isCloseTo(expected.gateWeights().get(k), within(1e-6));
        }
    }

    @Test
    void translatorAppliesBmdScalingToTheRawOutput() throws Exception {
        Path dir = saved();
        VertebraPatch patch = patches(1, 4).get(0);
        try (OsteoModel model = OsteoModel.load(dir, Device.cpu());
                Predictor<VertebraPatch, VertebraPrediction> p = model.newPredictor();
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList raw = model.network().forward(new ParameterStore(m, false),
                    new NDList(m.create(patch.voxels(), model.network().config().imageShape(1)),
                            m.create(new int[] {patch.device().embeddingIndex()})), false);
            double bmd = 0.9 + 0.15 * raw.get(OsteoNet.BMD).getFloat();
            assertThat(p.predict(patch).bmdGcm2()).isCloseTo(bmd, within(1e-5));
        }
    }

    @Test
    void badPatchesAreRejectedByName() throws Exception {
        Path dir = saved();
        try (OsteoModel model = OsteoModel.load(dir, Device.cpu());
                Predictor<VertebraPatch, VertebraPrediction> p = model.newPredictor()) {
            assertThatThrownBy(() -> p.predict(new VertebraPatch(new float[10], DxaDevice.HOLOGIC)))
                    .hasRootCauseInstanceOf(InvalidInputException.class)
                    .rootCause().hasMessageContaining("10 voxels");
            float[] nan = new float[16 * 16 * 16];
            nan[7] = Float.NaN;
            assertThatThrownBy(() -> p.predict(new VertebraPatch(nan, DxaDevice.HOLOGIC)))
                    .rootCause().hasMessageContaining("voxel 7");
        }
    }

    @Test
    void missingOrCorruptParametersFailNamingTheDirectory() throws Exception {
        Path dir = saved();
        Path params = dir.resolve("tiny-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(params, bytes);
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("corrupt");
        Files.delete(params);
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("tiny-0000.params is missing");
        assertThatThrownBy(() -> OsteoModel.criteria(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("missing");
    }

    @Test
    void truncatedParametersWithoutChecksumFailClearly() throws Exception {
        Path dir = saved();
        Path params = dir.resolve("tiny-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        rewriteDescriptor(dir, json -> json.replaceAll("\"paramsSha256\": \"[0-9a-f]+\"", "\"paramsSha256\": null"));
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("cannot load parameters");
    }

    @Test
    void architectureMismatchIsDetected() throws Exception {
        Path dir = saved();
        // a descriptor claiming a wider backbone than the parameters hold (checksum removed)
        rewriteDescriptor(dir, json -> json.replace("\"baseWidth\": 4", "\"baseWidth\": 8")
                .replaceAll("\"paramsSha256\": \"[0-9a-f]+\"", "\"paramsSha256\": null"));
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("architecture");
    }

    @Test
    void badDescriptorsFailClearly() throws Exception {
        Path dir = saved();
        String good = Files.readString(dir.resolve(ModelDescriptor.FILE_NAME));
        rewriteDescriptor(dir, json -> "{ not json");
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("descriptor");
        rewriteDescriptor(dir, json -> good.replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("format version 99");
        rewriteDescriptor(dir, json -> good.replace("\"channels\": 1", "\"channels\": 5"));
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("5 channels");
        Files.delete(dir.resolve(ModelDescriptor.FILE_NAME));
        assertThatThrownBy(() -> OsteoModel.load(dir, Device.cpu()))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("is missing");
    }

    private static void rewriteDescriptor(Path dir, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path file = dir.resolve(ModelDescriptor.FILE_NAME);
        Files.writeString(file, edit.apply(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
