package io.osteo.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {

    @Test
    void firstStepMatchesHandComputedAdamW() throws Exception {
        // Adam step 1 with g = 0.5: m = 0.05, v = 0.00025; bias-corrected m^ = 0.5, v^ = 0.25;
        // m^/(sqrt(v^)+eps) = 1. Decoupled decay (weights only): w <- w (1 - lr wd) - lr * 1.
        // lr 0.1, wd 0.1: weight 1 -> 0.99 - 0.1 = 0.89; bias (no decay) 1 -> 0.9.
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(1).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            DecoupledAdamW adam = DecoupledAdamW.builder().learningRate(Tracker.fixed(0.1f)).weightDecay(0.1f).build(linear);
            adam.beginStep();
            for (Pair<String, Parameter> p : linear.getParameters()) {
                NDArray w = p.getValue().getArray();
                w.set(new float[] {1f});
                adam.update(p.getValue().getId(), w, manager.create(new float[] {0.5f}, w.getShape()));
            }
            assertThat(linear.getParameters().get("weight").getArray().getFloat(0, 0)).isCloseTo(0.89f, within(1e-6f));
            assertThat(linear.getParameters().get("bias").getArray().getFloat(0)).isCloseTo(0.9f, within(1e-6f));
        }
    }

    @Test
    void frozenParametersAreNotUpdatedAndStateRoundTrips() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(2).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            DecoupledAdamW adam = DecoupledAdamW.builder().learningRate(Tracker.fixed(0.01f)).build(linear);
            adam.setFrozen(Set.of("weight"));
            Parameter weight = linear.getParameters().get("weight");
            Parameter bias = linear.getParameters().get("bias");
            float[] before = weight.getArray().toFloatArray();
            float[] biasBefore = bias.getArray().toFloatArray();
            adam.beginStep();
            adam.update(weight.getId(), weight.getArray(), weight.getArray().onesLike());
            adam.update(bias.getId(), bias.getArray(), bias.getArray().onesLike());
            assertThat(weight.getArray().toFloatArray()).containsExactly(before);
            assertThat(bias.getArray().toFloatArray()).doesNotContain(biasBefore[0]);

            // state written and read back continues identically
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adam.writeState(new DataOutputStream(bytes));
            DecoupledAdamW copy = DecoupledAdamW.builder().learningRate(Tracker.fixed(0.01f)).build(linear);
            copy.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), manager);
            assertThat(copy.steps()).isEqualTo(1);
            NDArray b1 = bias.getArray().duplicate();
            NDArray grad = bias.getArray().onesLike().mul(0.3f);
            adam.beginStep();
            adam.update(bias.getId(), bias.getArray(), grad);
            float[] expected = bias.getArray().toFloatArray();
            bias.getArray().set(b1.toFloatArray());
            copy.beginStep();
            copy.update(bias.getId(), bias.getArray(), grad);
            assertThat(bias.getArray().toFloatArray()).containsExactly(expected);
        }
    }
}
