package io.osteo.model.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.osteo.model.TinyNets;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.SwavNet;
import io.osteo.model.swav.SwavConfig;
import io.osteo.model.swav.SwavLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many forward passes must not accumulate native arrays in long-lived managers. */
class NativeMemoryTest {

    @Test
    void repeatedPredictionsAndForwardPassesKeepManagedArraysConstant() throws Exception {
        Engine.getInstance().setRandomSeed(5);
        List<VertebraPatch> input = OsteoModelPackagingTest.patches(3, 1);
        try (OsteoModel model = OsteoModel.create(OsteoModelPackagingTest.descriptor(), Device.cpu());
                Predictor<VertebraPatch, VertebraPrediction> p = model.newPredictor()) {
            NDManager modelManager = model.model().getNDManager();
            p.batchPredict(input); // warm-up
            int before = modelManager.getManagedArrays().size();
            for (int i = 0; i < 100; i++) {
                p.batchPredict(input);
            }
            assertThat(modelManager.getManagedArrays().size()).isEqualTo(before);

            OsteoNet net = model.network();
            int beforeRaw = modelManager.getManagedArrays().size();
            for (int i = 0; i < 100; i++) {
                try (NDManager step = modelManager.newSubManager()) {
                    NDList out = net.forward(new ParameterStore(step, false),
                            new NDList(step.randomNormal(net.config().imageShape(2)), step.create(new int[] {0, 3})),
                            i % 2 == 0);
                    assertThat(out).hasSize(5);
                }
            }
            assertThat(modelManager.getManagedArrays().size()).isEqualTo(beforeRaw);
        }
    }

    @Test
    void swavForwardLossAndPrototypeNormalisationKeepManagedArraysConstant() {
        Engine.getInstance().setRandomSeed(6);
        SwavConfig cfg = SwavConfig.builder().projectionHidden(8).embeddingDim(4).prototypes(6).queueLength(8).build();
        SwavNet net = new SwavNet(TinyNets.backbone(), cfg);
        Shape shape = new Shape(4, 1, 16, 16, 16);
        try (NDManager root = NDManager.newBaseManager(Device.cpu()); SwavLoss loss = new SwavLoss(cfg)) {
            net.initialize(root, DataType.FLOAT32, shape);
            int before = root.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (NDManager step = root.newSubManager()) {
                    ParameterStore ps = new ParameterStore(step, false);
                    NDList a = net.forward(ps, new NDList(step.randomNormal(shape)), true);
                    NDList b = net.forward(ps, new NDList(step.randomNormal(shape)), true);
                    assertThat(loss.compute(List.of(a, b), net.head().prototypes().getArray()).getFloat()).isFinite();
                }
                net.head().normalizePrototypes();
            }
            assertThat(root.getManagedArrays().size()).isEqualTo(before);
        }
    }
}
