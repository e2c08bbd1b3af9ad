package io.osteo.model.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.osteo.model.TinyNets;
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.loss.TaskWeights;
import io.osteo.model.net.OsteoNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link DecoupledAdamW#step(Trainer)} (direct, no gradient duplicate) against DJL's {@code
 * trainer.step()} on the real network: same losses and parameters bit for bit, with weight decay
 * on, a frozen weight and a frozen bias for one step, and gradients zeroed after every step.
 */
class DirectStepParityTest {

    private static final int BATCH = 4;
    private static final int STEPS = 4;

    /** One training run of {@code STEPS} steps; returns losses (as float bits) and final parameters. */
    private static Run train(boolean direct) {
        Engine.getInstance().setRandomSeed(42);
        OsteoNet net = new OsteoNet(TinyNets.moe());
        try (Model model = Model.newInstance("parity", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(3e-3f)).weightDecay(0.1f).build(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new MultiTaskLoss(TaskWeights.unified()))
                    .optOptimizer(opt).optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(net.inputShapes(BATCH));
                NDManager m = trainer.getManager();
                NDList x = new NDList(m.randomNormal(0, 1, TinyNets.moe().imageShape(BATCH), DataType.FLOAT32),
                        m.create(new int[] {0, 1, 2, 3}));
                NDList y = new NDList(m.create(new int[] {0, 1, 1, 0}), m.create(new float[] {1.2f, -0.8f, Float.NaN, 2.0f}),
                        m.create(new int[] {0, 5, 12, 17}));
                Set<String> frozen = Set.of("01backbone_01stemConv_weight", "02decoder_02gate_01Linear_bias");
                assertThat(names(net)).containsAll(frozen);
                Run run = new Run();
                for (int step = 0; step < STEPS; step++) {
                    opt.setFrozen(step == 1 ? frozen : Set.of());
                    opt.beginStep();
                    try (NDManager stepManager = m.newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(x);
                            NDArray loss = trainer.getLoss().evaluate(y, out);
                            gc.backward(loss);
                            run.losses.add(Float.floatToIntBits(loss.getFloat()));
                            out.attach(stepManager);
                            loss.attach(stepManager);
                        }
                        if (step == 1) {
                            run.frozenBefore = values(net, frozen);
                        }
                        if (direct) {
                            assertThat(opt.step(trainer)).as("direct path on one CPU device").isTrue();
                        } else {
                            trainer.step();
                        }
                        if (step == 1) {
                            run.frozenAfter = values(net, frozen);
                        }
                        run.maxAbsGradient = Math.max(run.maxAbsGradient, maxAbsGradient(net));
                    }
                }
                run.parameters = values(net, null);
                return run;
            }
        }
    }

    private static List<String> names(OsteoNet net) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) names.add(p.getKey());
        return names;
    }

    private static Map<String, float[]> values(OsteoNet net, Set<String> only) {
        Map<String, float[]> v = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (only == null || only.contains(p.getKey())) {
                v.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return v;
    }

    private static float maxAbsGradient(OsteoNet net) {
        float max = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                try (NDArray g = p.getValue().getArray().getGradient()) {
                    max = Math.max(max, g.abs().max().getFloat());
                }
            }
        }
        return max;
    }

    private static final class Run {
        final List<Integer> losses = new ArrayList<>();
        Map<String, float[]> parameters;
        Map<String, float[]> frozenBefore;
        Map<String, float[]> frozenAfter;
        float maxAbsGradient;
    }

    @Test
    void directStepIsBitIdenticalToTrainerStep() {
        Run viaTrainer = train(false);
        Run direct = train(true);
        assertThat(direct.losses).hasSize(STEPS).isEqualTo(viaTrainer.losses);
        // the losses move: the steps did something
        assertThat(viaTrainer.losses.get(STEPS - 1)).isNotEqualTo(viaTrainer.losses.get(0));
        assertThat(direct.parameters.keySet()).isEqualTo(viaTrainer.parameters.keySet());
        for (String name : viaTrainer.parameters.keySet()) {
            assertThat(direct.parameters.get(name)).as(name).isEqualTo(viaTrainer.parameters.get(name));
        }
        for (Run run : List.of(viaTrainer, direct)) {
            for (String name : run.frozenBefore.keySet()) {
                assertThat(run.frozenAfter.get(name)).as("frozen %s", name).isEqualTo(run.frozenBefore.get(name));
            }
            // every gradient, frozen ones included, is zero after each step
            assertThat(run.maxAbsGradient).isZero();
        }
    }
}
