package io.osteo.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.osteo.api.InvalidInputException;
import io.osteo.model.TinyNets;
import io.osteo.model.net.OsteoNet;
import org.junit.jupiter.api.Test;

class OptimTest {

    @Test
    void warmupThenCosineToAnExplicitFinalValue() {
        WarmupCosineTracker t = new WarmupCosineTracker(1e-5f, 0f, 10, 110);
        assertThat(t.getNewValue(0)).isZero();
        assertThat(t.getNewValue(5)).isCloseTo(5e-6f, within(1e-12f));
        assertThat(t.getNewValue(10)).isCloseTo(1e-5f, within(1e-12f));
        assertThat(t.getNewValue(60)).isCloseTo(5e-6f, within(1e-11f)); // half-way down the cosine
        assertThat(t.getNewValue(110)).isZero();
        assertThat(t.getNewValue(500)).isZero();
        for (int i = 11; i < 110; i++) {
            assertThat(t.getNewValue(i)).isLessThanOrEqualTo(t.getNewValue(i - 1));
        }
        assertThatThrownBy(() -> new WarmupCosineTracker(1e-4f, 1e-3f, 0, 10))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new WarmupCosineTracker(1e-4f, 0f, 10, 10)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void weightDecayHitsWeightsButNotBiasesOrBatchNorm() {
        OsteoNet net = new OsteoNet(TinyNets.moe());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(m, DataType.FLOAT32, net.inputShapes(1));
            float lr = 0.01f;
            float wd = 0.1f;
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(lr)).weightDecay(wd).build(net);
            int decayed = 0;
            int kept = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                Parameter param = p.getValue();
                if (param.getType() == Parameter.Type.RUNNING_MEAN || param.getType() == Parameter.Type.RUNNING_VAR) {
                    continue;
                }
                NDArray w = param.getArray();
                float[] before = w.toFloatArray();
                opt.update(param.getId(), w, w.zerosLike()); // zero gradient: only decay can move it
                float[] after = w.toFloatArray();
                boolean shouldDecay = param.getType() == Parameter.Type.WEIGHT;
                for (int i = 0; i < Math.min(5, before.length); i++) {
                    float expected = shouldDecay ? before[i] * (1 - lr * wd) : before[i];
                    assertThat(after[i]).as("%s[%d]", p.getKey(), i).isCloseTo(expected, within(1e-6f));
                }
                if (shouldDecay) {
                    decayed++;
                } else {
                    kept++;
                }
            }
            assertThat(decayed).isGreaterThan(10);
            assertThat(kept).isGreaterThan(10);
            assertThat(opt.summary()).contains(" with weight decay");
        }
    }
}
