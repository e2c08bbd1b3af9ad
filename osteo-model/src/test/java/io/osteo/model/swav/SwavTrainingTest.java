package io.osteo.model.swav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import io.osteo.api.InvalidInputException;
import io.osteo.model.TinyNets;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.SwavNet;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwavTrainingTest {

    private static final int BATCH = 8;

    @Test
    void uniformScoresGiveLnK() {
        SwavConfig cfg = SwavConfig.builder().prototypes(16).embeddingDim(4).projectionHidden(4).build();
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); SwavLoss loss = new SwavLoss(cfg)) {
            NDList view = new NDList(m.zeros(new Shape(4, 4)), m.zeros(new Shape(4, 16)));
            float value = loss.compute(List.of(view, view, view), m.zeros(new Shape(16, 4))).getFloat();
            assertThat(value).isCloseTo((float) Math.log(16), within(1e-5f));
            assertThatThrownBy(() -> loss.compute(List.of(view), null)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Test
    void swappedPredictionLossDecreasesAndPrototypesStayNormalised() {
        Engine.getInstance().setRandomSeed(21);
        SwavConfig cfg = SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build();
        SwavNet net = new SwavNet(TinyNets.backbone(), cfg);
        try (Model model = Model.newInstance("swav", Device.cpu(), "PyTorch");
                SwavLoss swav = new SwavLoss(cfg)) {
            model.setBlock(net);
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(3e-3f)).weightDecay(0f).build(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(opt)
                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(new Shape(BATCH, 1, 16, 16, 16));
                NDManager m = trainer.getManager();
                Shape shape = new Shape(BATCH, 1, 16, 16, 16);
                NDArray base = m.randomNormal(0, 1, shape, DataType.FLOAT32);
                NDArray view1 = base.add(m.randomNormal(0, 0.1f, shape, DataType.FLOAT32));
                NDArray view2 = base.add(m.randomNormal(0, 0.1f, shape, DataType.FLOAT32));
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 25; step++) {
                    try (NDManager stepManager = m.newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList a = trainer.forward(new NDList(view1));
                            NDList b = trainer.forward(new NDList(view2));
                            NDArray loss = swav.compute(List.of(a, b), net.head().prototypes().getArray());
                            gc.backward(loss);
                            last = loss.getFloat();
                            a.attach(stepManager);
                            b.attach(stepManager);
                            loss.attach(stepManager);
                        }
                        trainer.step();
                        net.head().normalizePrototypes();
                    }
                    if (step == 0) {
                        first = last;
                    }
                }
                assertThat(last).isLessThan(first * 0.9f);
                // (the collapse diagnostics are checked against a hand computation in SwavLossReferenceTest)
                for (float norm : net.head().prototypes().getArray().norm(new int[] {1}).toFloatArray()) {
                    assertThat(norm).isCloseTo(1f, within(1e-5f));
                }
            }
        }
    }

    @Test
    void frozenPrototypesAreNotUpdated() {
        Engine.getInstance().setRandomSeed(24);
        SwavConfig cfg = SwavConfig.builder().projectionHidden(8).embeddingDim(4).prototypes(6).build();
        SwavNet net = new SwavNet(TinyNets.backbone(), cfg);
        try (Model model = Model.newInstance("frozen", Device.cpu(), "PyTorch"); SwavLoss swav = new SwavLoss(cfg)) {
            model.setBlock(net);
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(1e-2f)).build(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(opt)
                    .optDevices(new Device[] {Device.cpu()}))) {
                Shape shape = new Shape(4, 1, 16, 16, 16);
                trainer.initialize(shape);
                net.head().setPrototypesFrozen(true);
                float[] before = net.head().prototypes().getArray().toFloatArray();
                float[] backboneBefore = net.backbone().getParameters().get(0).getValue().getArray().toFloatArray();
                try (NDManager step = trainer.getManager().newSubManager()) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList a = trainer.forward(new NDList(step.randomNormal(shape)));
                        NDList b = trainer.forward(new NDList(step.randomNormal(shape)));
                        gc.backward(swav.compute(List.of(a, b), net.head().prototypes().getArray()));
                    }
                    trainer.step();
                }
                assertThat(net.head().prototypes().getArray().toFloatArray()).containsExactly(before);
                assertThat(net.backbone().getParameters().get(0).getValue().getArray().toFloatArray())
                        .isNotEqualTo(backboneBefore);
            }
        }
    }

    @Test
    void queueIsFilledThenUsedAndBounded() {
        Engine.getInstance().setRandomSeed(22);
        SwavConfig cfg = SwavConfig.builder().projectionHidden(8).embeddingDim(4).prototypes(6).queueLength(10).build();
        SwavHead head = new SwavHead(cfg);
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); SwavLoss loss = new SwavLoss(cfg)) {
            head.initialize(m, DataType.FLOAT32, new Shape(4, 12));
            ParameterStore ps = new ParameterStore(m, false);
            for (int step = 0; step < 5; step++) {
                try (NDManager s = m.newSubManager()) {
                    NDList a = head.forward(ps, new NDList(s.randomNormal(new Shape(4, 12))), true);
                    NDList b = head.forward(ps, new NDList(s.randomNormal(new Shape(4, 12))), true);
                    NDArray value = loss.compute(List.of(a, b), head.prototypes().getArray());
                    assertThat(Float.isFinite(value.getFloat())).isTrue();
                }
                assertThat(loss.queuedSamples()).isEqualTo(Math.min(10, 4L * (step + 1)));
            }
        }
    }

    @Test
    void pretrainedBackboneTransfersIntoTheFineTuningNetwork() {
        Engine.getInstance().setRandomSeed(23);
        SwavNet pre = new SwavNet(TinyNets.backbone(), SwavConfig.cpuSmall());
        OsteoNet fine = new OsteoNet(TinyNets.moe());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            pre.initialize(m, DataType.FLOAT32, new Shape(2, 1, 16, 16, 16));
            fine.initialize(m, DataType.FLOAT32, fine.inputShapes(2));
            NDArray image = m.randomNormal(new Shape(2, 1, 16, 16, 16));
            ParameterStore ps = new ParameterStore(m, false);
            float[] preFeatures = pre.forward(ps, new NDList(image), false).get(SwavNet.FEATURES).toFloatArray();
            NDList fineOut = fine.forward(ps, new NDList(image, m.create(new int[] {0, 1})), false);
            assertThat(fineOut.get(OsteoNet.EMBEDDING).toFloatArray()).isNotEqualTo(preFeatures);
            fine.backbone().copyParametersFrom(pre.backbone());
            NDList after = fine.forward(ps, new NDList(image, m.create(new int[] {0, 1})), false);
            assertThat(after.get(OsteoNet.EMBEDDING).toFloatArray()).containsExactly(preFeatures, within(1e-6f));
        }
    }
}
