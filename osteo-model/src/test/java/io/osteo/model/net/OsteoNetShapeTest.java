package io.osteo.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class OsteoNetShapeTest {

    private static NDList forward(OsteoNet net, NDManager manager, int batch, boolean training) {
        Engine.getInstance().setRandomSeed(7);
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(batch));
        NDArray image = manager.randomNormal(net.config().imageShape(batch));
        NDArray ids = manager.create(new int[] {0, 1, 2, 3}).get("0:" + batch);
        return net.forward(new ParameterStore(manager, false), new NDList(image, ids), training);
    }

    private static void assertContract(OsteoNet net, NDList out, int batch) {
        int gate = net.config().decoder().gateWidth();
        assertThat(out).hasSize(5);
        assertThat(out.get(OsteoNet.CLASS_LOGITS).getShape()).isEqualTo(new Shape(batch, 2));
        assertThat(out.get(OsteoNet.BMD).getShape()).isEqualTo(new Shape(batch, 1));
        assertThat(out.get(OsteoNet.POSITION_LOGITS).getShape()).isEqualTo(new Shape(batch, 18));
        assertThat(out.get(OsteoNet.GATE_WEIGHTS).getShape()).isEqualTo(new Shape(batch, gate));
        assertThat(out.get(OsteoNet.EMBEDDING).getShape())
                .isEqualTo(new Shape(batch, net.config().backbone().featureDim()));
        float[] sums = out.get(OsteoNet.GATE_WEIGHTS).sum(new int[] {1}).toFloatArray();
        for (float s : sums) {
            assertThat(s).isCloseTo(1f, within(1e-5f));
        }
        if (net.config().decoder().kind() == DecoderConfig.Kind.PLAIN) {
            // the plain head has no gate: its gate output is the documented constant 1
            assertThat(out.get(OsteoNet.GATE_WEIGHTS).toFloatArray()).containsOnly(1f);
        }
        for (NDArray a : out) {
            assertThat(a.isNaN().any().getBoolean()).isFalse();
        }
        assertThat(net.getOutputShapes(net.inputShapes(batch)))
                .containsExactly(out.stream().map(NDArray::getShape).toArray(Shape[]::new));
    }

    @Test
    void cpuSmall3dHasTheForwardContract() {
        OsteoNet net = new OsteoNet(OsteoNetConfig.cpuSmall());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertContract(net, forward(net, manager, 4, true), 4);
            assertContract(net, forward(net, manager, 3, false), 3);
        }
    }

    @Test
    void twoDimensionalResNet18WithTexturePoolChannelsAndPlainDecoder() {
        BackboneConfig backbone = BackboneConfig.builder()
                .depth(ResNetDepth.RESNET18).spatialDims(2).inChannels(5).baseWidth(8).build();
        OsteoNetConfig config = new OsteoNetConfig(backbone,
                DecoderConfig.builder().kind(DecoderConfig.Kind.PLAIN).expertHidden(16).build(), List.of(64, 64));
        OsteoNet net = new OsteoNet(config);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertContract(net, forward(net, manager, 2, false), 2);
        }
    }

    @Test
    void resNet34ThreeDimensionalPaperDepthAtSmallWidth() {
        BackboneConfig backbone = BackboneConfig.builder().depth(ResNetDepth.RESNET34).spatialDims(3).baseWidth(4)
                .stemMaxPool(true).build();
        OsteoNet net = new OsteoNet(new OsteoNetConfig(backbone, DecoderConfig.cpuSmall(), List.of(32, 32, 32)));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertContract(net, forward(net, manager, 2, false), 2);
        }
    }

    @Test
    void paperPresetRunsAt64CubedInInference() {
        OsteoNet net = new OsteoNet(OsteoNetConfig.paper());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertContract(net, forward(net, manager, 1, false), 1);
            long params = net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(params).isBetween(60_000_000L, 70_000_000L); // a 3D ResNet34 has ~63.5M parameters
        }
    }

    @Test
    void paperPresetIsResNet34ThreeDWidth64At64Cubed() {
        OsteoNetConfig paper = OsteoNetConfig.paper();
        assertThat(paper.backbone().depth()).isEqualTo(ResNetDepth.RESNET34);
        assertThat(paper.backbone().baseWidth()).isEqualTo(64);
        assertThat(paper.backbone().featureDim()).isEqualTo(512);
        assertThat(paper.patchSize()).containsExactly(64, 64, 64);
        assertThat(paper.decoder().experts()).isEqualTo(3);
    }

    @Test
    void wrongChannelCountAndDeviceIdsAreRejected() {
        OsteoNet net = new OsteoNet(OsteoNetConfig.cpuSmall());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(2));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray twoChannels = manager.zeros(new Shape(2, 2, 32, 32, 32));
            NDArray ids = manager.create(new int[] {0, 1});
            assertThatThrownBy(() -> net.forward(ps, new NDList(twoChannels, ids), false))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("[B, 1, D, H, W]");
            NDArray image = manager.zeros(new Shape(2, 1, 32, 32, 32));
            assertThatThrownBy(() -> net.forward(ps, new NDList(image, manager.create(new int[] {0, 4})), false))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("device id 4");
            assertThatThrownBy(() -> net.forward(ps, new NDList(image, manager.create(new int[] {0})), false))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("one per image");
        }
    }
}
