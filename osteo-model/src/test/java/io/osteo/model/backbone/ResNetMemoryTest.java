package io.osteo.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.osteo.model.TinyNets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backbone closes its intermediates once consumed, so a training forward leaves only the
 * embedding on the step's manager (autograd keeps what backward needs) and the backward pass still
 * reaches the stem.
 */
class ResNetMemoryTest {

    @Test
    void trainingForwardLeavesOnlyItsOutputOnTheStepManager() {
        Engine.getInstance().setRandomSeed(3);
        ResNet net = new ResNet(TinyNets.backbone());
        try (NDManager model = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(model, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(2, 1, 16, 16, 16));
            try (NDManager step = model.newSubManager()) {
                NDArray input = step.randomNormal(0, 1, new ai.djl.ndarray.types.Shape(2, 1, 16, 16, 16), DataType.FLOAT32);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList out = net.forward(new ParameterStore(step, false), new NDList(input), true);
                    List<NDArray> live = step.getManagedArrays();
                    // input, embedding, plus at most a few scalars/views; 4 blocks x ~7 intermediates without the release
                    assertThat(live).as("arrays left on the step manager after forward").hasSizeLessThanOrEqualTo(4);
                    gc.backward(out.singletonOrThrow().sum());
                }
                try (NDArray g = net.getParameters().get("01stemConv_weight").getArray().getGradient()) {
                    assertThat(g.abs().sum().getFloat()).isGreaterThan(0f);
                }
            }
        }
    }
}
