package io.osteo.train.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The parameters a training starts from, read inside the engine right after DJL's trainer
 * initialised them: block-defined initialisers survive (He-normal convolutions, Normal(0.02) device
 * embedding), where DJL's {@code optInitializer(new XavierInitializer(), WEIGHT)} used to replace
 * them with Glorot-uniform everywhere (embedding rms 0.237).
 */
class InitialisationThroughTrainerTest {

    /** Statistics of every parameter at the end of initialisation, captured by a probe task. */
    record Captured(String name, long fanOut, double sd, double excessKurtosis, long size) {}

    @Test
    void blocksKeepTheirOwnInitialisersOnTheTrainingPath() {
        BackboneConfig backbone = BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(3).baseWidth(16).build();
        OsteoNetConfig config = new OsteoNetConfig(backbone, DecoderConfig.cpuSmall(), List.of(16, 16, 16));
        List<Captured> captured = new ArrayList<>();
        TrainingEngine engine = new TrainingEngine(new EngineSettings(new TrainingSchedule(1, 2, 1e-3f, 0f, 0, 0f), 5,
                List.of(Device.cpu()), null, false, null), "probe");
        engine.run(new ProbeTask(new OsteoNet(config), config, captured));

        List<Captured> convs = captured.stream().filter(c -> c.name().contains("conv") && c.name().endsWith("weight")
                && c.size() >= 4096).toList();
        assertThat(convs).as("convolution kernels with enough weights to measure").hasSizeGreaterThan(3);
        for (Captured c : convs) {
            double he = Math.sqrt(2.0 / c.fanOut());
            assertThat(c.sd()).as(c.name() + " sd vs He-normal (fan-out) " + he).isBetween(0.9 * he, 1.1 * he);
            // Gaussian, not uniform: excess kurtosis of a uniform is -1.2
            assertThat(c.excessKurtosis()).as(c.name() + " excess kurtosis").isGreaterThan(-0.5);
        }
        Captured embedding = captured.stream().filter(c -> c.name().contains("device")).findFirst().orElseThrow();
        assertThat(embedding.sd()).as("device embedding sd, Normal(0.02)").isBetween(0.014, 0.026);
    }

    private static final class ProbeTask implements TrainingTask<Void> {
        private final OsteoNet net;
        private final OsteoNetConfig config;
        private final List<Captured> captured;

        ProbeTask(OsteoNet net, OsteoNetConfig config, List<Captured> captured) {
            this.net = net;
            this.config = config;
            this.captured = captured;
        }

        @Override
        public String stage() {
            return "probe";
        }

        @Override
        public String fingerprint() {
            return "probe";
        }

        @Override
        public int size() {
            return 2;
        }

        @Override
        public Block block() {
            return net;
        }

        @Override
        public Shape[] inputShapes(int batch) {
            return net.inputShapes(batch);
        }

        @Override
        public void initialized(Model model, Trainer trainer, DecoupledAdamW optimizer) {
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                double mean = 0;
                for (float x : v) mean += x;
                mean /= v.length;
                double m2 = 0;
                double m4 = 0;
                for (float x : v) {
                    double d = x - mean;
                    m2 += d * d;
                    m4 += d * d * d * d;
                }
                m2 /= v.length;
                m4 /= v.length;
                long[] shape = a.getShape().getShape();
                long fanOut = shape.length > 1 ? a.getShape().size() / shape[1] : shape[0];
                captured.add(new Captured(p.getKey(), fanOut, Math.sqrt(m2), m2 > 0 ? m4 / (m2 * m2) - 3 : 0, v.length));
            }
        }

        @Override
        public HostBatch prepare(int[] items, SplittableRandom random) {
            Shape s = config.imageShape(items.length);
            return HostBatch.of(items.length, HostBatch.floats("image", new float[(int) s.size()], s.getShape()),
                    HostBatch.ints("device", new int[items.length], items.length));
        }

        @Override
        public NDArray loss(Trainer trainer, NDList batch) {
            return trainer.forward(batch).get(OsteoNet.CLASS_LOGITS).square().mean();
        }

        @Override
        public EpochOutcome endEpoch(int epoch, double meanLoss, Model model, Trainer trainer, DecoupledAdamW optimizer) {
            return new EpochOutcome("probe", false);
        }

        @Override
        public JsonObject state() {
            return new JsonObject();
        }

        @Override
        public void restore(JsonObject state) {}

        @Override
        public Void finish(Model model, Trainer trainer, boolean stoppedEarly) {
            return null;
        }
    }
}
