package io.osteo.model.net;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.osteo.model.TinyNets;
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.loss.TaskWeights;
import io.osteo.model.moe.MoeDecoder;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real-engine training checks of the whole network on a tiny batch (CPU). */
class OsteoNetTrainingTest {

    private static final int BATCH = 4;

    private static Trainer trainer(Model model, OsteoNet net, TaskWeights weights, float lr) {
        DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(lr)).weightDecay(0f).build(net);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new MultiTaskLoss(weights))
                .optOptimizer(opt).optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(net.inputShapes(BATCH));
        return trainer;
    }

    private static NDList batch(NDManager m) {
        return new NDList(m.randomNormal(0, 1, TinyNets.moe().imageShape(BATCH), ai.djl.ndarray.types.DataType.FLOAT32),
                m.create(new int[] {0, 1, 2, 3}));
    }

    private static NDList labels(NDManager m) {
        return new NDList(m.create(new int[] {0, 1, 1, 0}), m.create(new float[] {1.2f, -0.8f, 0.3f, 2.0f}),
                m.create(new int[] {0, 5, 12, 17}));
    }

    @Test
    void gradientsReachEveryExpertTheGateAndTheDeviceEmbedding() {
        Engine.getInstance().setRandomSeed(11);
        OsteoNet net = new OsteoNet(TinyNets.moe());
        try (Model model = Model.newInstance("grad", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            try (Trainer trainer = trainer(model, net, TaskWeights.unified(), 1e-3f)) {
                NDManager m = trainer.getManager();
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(batch(m));
                    gc.backward(trainer.getLoss().evaluate(labels(m), out));
                }
                MoeDecoder decoder = (MoeDecoder) net.decoder();
                List<String> checked = new ArrayList<>();
                for (int i = 0; i < decoder.experts().size(); i++) {
                    assertNonZeroGradients(decoder.experts().get(i).getParameters(), "expert" + i, checked);
                }
                assertNonZeroGradients(decoder.gate().getParameters(), "gate", checked);
                assertNonZeroGradients(decoder.deviceEmbedding().getParameters(), "device", checked);
                assertNonZeroGradients(net.backbone().getParameters(), "backbone", checked);
                assertThat(checked).hasSizeGreaterThan(3 * 4 + 4 + 1);
                // every device row that occurs in the batch receives gradient
                NDArray g = decoder.deviceEmbedding().getParameters().get(0).getValue().getArray().getGradient();
                for (int row = 0; row < 4; row++) {
                    assertThat(g.get(row).abs().sum().getFloat()).as("device row %d", row).isGreaterThan(0f);
                }
            }
        }
    }

    private static void assertNonZeroGradients(
            ai.djl.util.PairList<String, Parameter> params, String what, List<String> checked) {
        for (Pair<String, Parameter> p : params) {
            if (!p.getValue().requiresGradient()) {
                continue; // BN running statistics
            }
            float norm = p.getValue().getArray().getGradient().abs().sum().getFloat();
            assertThat(norm).as("gradient of %s.%s", what, p.getKey()).isGreaterThan(0f);
            checked.add(what + "." + p.getKey());
        }
    }

    @Test
    void eachHeadsLossDecreasesWhenOverfittingATinyBatch() {
        Engine.getInstance().setRandomSeed(12);
        OsteoNet net = new OsteoNet(TinyNets.moe());
        try (Model model = Model.newInstance("overfit", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            try (Trainer trainer = trainer(model, net, TaskWeights.unified(), 1e-2f)) {
                NDManager m = trainer.getManager();
                NDList x = batch(m);
                NDList y = labels(m);
                MultiTaskLoss loss = (MultiTaskLoss) trainer.getLoss();
                float[] first = null;
                float[] last = null;
                for (int step = 0; step < 30; step++) {
                    try (NDManager stepManager = m.newSubManager()) {
                        float[] terms;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(x);
                            MultiTaskLoss.Terms t = loss.terms(y, out);
                            terms = new float[] {
                                t.classification().getFloat(), t.bmd().getFloat(), t.position().getFloat()
                            };
                            gc.backward(t.total());
                            out.attach(stepManager);
                            t.total().attach(stepManager);
                        }
                        trainer.step();
                        if (first == null) {
                            first = terms;
                        }
                        last = terms;
                    }
                }
                assertThat(last[0]).as("class CE").isLessThan(first[0] * 0.5f);
                assertThat(last[1]).as("BMD MSE").isLessThan(first[1] * 0.5f);
                assertThat(last[2]).as("position CE").isLessThan(first[2] * 0.5f);
            }
        }
    }
}
