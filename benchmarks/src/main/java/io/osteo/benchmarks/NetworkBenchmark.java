package io.osteo.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.loss.TaskWeights;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Network throughput on the engine's default device at batch 8: fine-tuning steps per second
 * (forward + unified loss + backward + DecoupledAdamW step) and inference vertebrae per second, for the
 * {@code cpuSmall} preset (ResNet10-3D width 8, 32^3) and the {@code paper} preset (ResNet34-3D
 * width 64, 64^3). Thread count: the {@code ai.djl.pytorch.num_threads} property (2 by default
 * here; override with {@code -jvmArgsAppend}). Run e.g.
 * {@code OMP_WAIT_POLICY=PASSIVE java -jar benchmarks/target/benchmarks.jar NetworkBenchmark} after
 * building the jar with {@code ./mvnw -B -DskipTests -Pbenchmarks -pl benchmarks -am package}. The
 * side-by-side comparison with PyTorch is {@link SideBySideStep} ({@code benchmarks/side-by-side.sh}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx4g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1"
})
public class NetworkBenchmark {

    static final int BATCH = 8;

    static OsteoNetConfig preset(String name) {
        return switch (name) {
            case "paper" -> OsteoNetConfig.paper();
            case "cpuSmall" -> OsteoNetConfig.cpuSmall();
            default -> throw new IllegalArgumentException("unknown preset " + name);
        };
    }

    /** A network, a fixed batch and its labels. */
    @State(Scope.Thread)
    public static class Net {
        @Param({"cpuSmall", "paper"})
        public String preset;

        Model model;
        Trainer trainer;
        DecoupledAdamW optimizer;
        OsteoNet net;
        NDList batch;
        NDList labels;
        ParameterStore inferenceStore;

        @Setup(Level.Trial)
        public void setUp() {
            Engine.getInstance().setRandomSeed(1);
            net = new OsteoNet(preset(preset));
            model = Model.newInstance("bench", Device.cpu().equals(Engine.getInstance().defaultDevice())
                    ? Device.cpu() : Engine.getInstance().defaultDevice(), "PyTorch");
            model.setBlock(net);
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(1e-5f)).build(net);
            optimizer = opt;
            trainer = model.newTrainer(new DefaultTrainingConfig(new MultiTaskLoss(TaskWeights.unified()))
                    .optOptimizer(opt).optDevices(new Device[] {model.getNDManager().getDevice()}));
            trainer.initialize(net.inputShapes(BATCH));
            NDManager m = trainer.getManager();
            batch = new NDList(m.randomNormal(0, 1, net.config().imageShape(BATCH), DataType.FLOAT32),
                    m.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3}));
            labels = new NDList(m.create(new int[] {0, 1, 0, 1, 0, 1, 0, 1}),
                    m.create(new float[] {0.8f, 0.9f, 1.0f, 1.1f, 0.7f, 0.6f, Float.NaN, 1.2f}),
                    m.create(new int[] {12, 13, 14, 15, 16, 11, 10, 9}));
            inferenceStore = new ParameterStore(m, false);
            System.out.println("# preset " + preset + ", device " + model.getNDManager().getDevice()
                    + ", torch threads " + System.getProperty("ai.djl.pytorch.num_threads") + ", OMP_WAIT_POLICY "
                    + System.getenv("OMP_WAIT_POLICY"));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            trainer.close();
            model.close();
        }
    }

    /** Copies of the inputs owned by the step's manager, so every intermediate is freed with it. */
    static NDList inStep(NDList batch, NDManager step) {
        NDList copy = new NDList(batch.size());
        for (ai.djl.ndarray.NDArray a : batch) {
            ai.djl.ndarray.NDArray d = a.duplicate();
            d.attach(step);
            copy.add(d);
        }
        return copy;
    }

    /** One fine-tuning step on a batch of 8 (score = steps/s). */
    @Benchmark
    public float trainingStep(Net s) {
        try (NDManager step = s.trainer.getManager().newSubManager()) {
            float loss;
            try (GradientCollector gc = s.trainer.newGradientCollector()) {
                NDList out = s.trainer.forward(inStep(s.batch, step));
                ai.djl.ndarray.NDArray l = s.trainer.getLoss().evaluate(s.labels, out);
                gc.backward(l);
                loss = l.getFloat();
                out.attach(step);
                l.attach(step);
            }
            s.optimizer.beginStep();
            s.optimizer.step(s.trainer); // direct update, no parameter-server gradient copy
            return loss;
        }
    }

    /** Inference on a batch of 8 (score = vertebrae/s). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float inference(Net s) {
        try (NDManager step = s.trainer.getManager().newSubManager()) {
            NDList in = inStep(s.batch, step);
            NDList out = s.net.forward(new ParameterStore(step, false), in, false);
            float p = out.get(OsteoNet.CLASS_LOGITS).toFloatArray()[0];
            out.attach(step);
            return p;
        }
    }
}
