package io.osteo.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.osteo.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class ResNetInitTest {

    @Test
    void convolutionsAreHeNormalAndBatchNormStartsAtIdentity() {
        Engine.getInstance().setRandomSeed(1);
        BackboneConfig cfg = BackboneConfig.builder().depth(ResNetDepth.RESNET18).spatialDims(3).baseWidth(16).build();
        ResNet net = new ResNet(cfg);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32, 32));
            int convs = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                Parameter param = p.getValue();
                Shape s = param.getArray().getShape();
                if (param.getType() == Parameter.Type.WEIGHT && s.dimension() == 5 && s.size() >= 4096) {
                    double fanOut = s.get(0) * s.get(2) * s.get(3) * s.get(4);
                    double std = Math.sqrt(param.getArray().square().mean().getFloat());
                    assertThat(std).as(p.getKey()).isCloseTo(Math.sqrt(2 / fanOut), within(0.1 * Math.sqrt(2 / fanOut)));
                    convs++;
                }
                if (param.getType() == Parameter.Type.GAMMA) {
                    assertThat(param.getArray().toFloatArray()).containsOnly(1f);
                }
                if (param.getType() == Parameter.Type.BETA) {
                    assertThat(param.getArray().toFloatArray()).containsOnly(0f);
                }
            }
            assertThat(convs).isGreaterThan(10);
        }
        // 18 = stem + 8 blocks x 2 + 3 shortcuts... count convolutions via parameter names
        long convWeights = net.getParameters().keys().stream().filter(k -> k.endsWith("Conv_weight")
                || k.endsWith("conv1_weight") || k.endsWith("conv2_weight")).count();
        assertThat(convWeights).isEqualTo(1 + 8 * 2 + 3);
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThatThrownBy(() -> BackboneConfig.builder().spatialDims(4).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("spatialDims");
        assertThatThrownBy(() -> BackboneConfig.builder().stemKernel(4).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("odd");
        assertThatThrownBy(() -> BackboneConfig.builder().inChannels(0).build())
                .isInstanceOf(InvalidInputException.class);
    }
}
