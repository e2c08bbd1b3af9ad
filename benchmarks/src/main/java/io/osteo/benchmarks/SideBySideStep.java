package io.osteo.benchmarks;

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
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.loss.TaskWeights;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The DJL half of the side-by-side benchmark ({@code benchmarks/side-by-side.sh}; the PyTorch half
 * is {@code benchmarks/pytorch/osteonet_step.py}): one OsteoNet fine-tuning step (forward + unified
 * loss + backward + DecoupledAdamW, batch 8, the {@code paper} or {@code cpuSmall} preset, the same
 * data as {@link NetworkBenchmark}), timed per phase (wall) plus the process CPU time of a step (all
 * threads, JIT and GC included), medians in seconds over the measured steps.
 * Prints the trainable parameter count, which must equal the PyTorch script's.
 *
 * <p>Usage: {@code SideBySideStep [--preset cpuSmall|paper] [--threads 2] [--warmup 3] [--steps 10]
 * [--optimizer direct|trainer|alternate] [--json]}. {@code --optimizer trainer} times DJL's {@code
 * trainer.step()} instead of {@link DecoupledAdamW#step(Trainer)}; {@code alternate} alternates the
 * two step by step (their results are bit-identical) and reports the optimiser time of each.
 */
public final class SideBySideStep {

    private SideBySideStep() {}

    public static void main(String[] args) {
        String preset = "cpuSmall";
        int threads = 2;
        int warmup = 3;
        int steps = 10;
        String optimizer = "direct";
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--preset" -> preset = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--optimizer" -> optimizer = args[++i];
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--preset cpuSmall|paper --threads N --warmup N --steps N --optimizer direct|trainer --json)");
            }
        }
        if (!optimizer.equals("direct") && !optimizer.equals("trainer") && !optimizer.equals("alternate")) {
            throw new IllegalArgumentException("--optimizer must be direct, trainer or alternate, got " + optimizer);
        }
        // before the engine loads: DJL reads these once
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        int batch = NetworkBenchmark.BATCH;

        Engine.getInstance().setRandomSeed(1);
        OsteoNet net = new OsteoNet(NetworkBenchmark.preset(preset));
        double[][] times = new double[5][steps];
        double[][] alternate = new double[2][steps];
        double[] optimizerCpu = new double[2]; // summed process CPU s of the optimiser phase: trainer.step() / direct
        int[] optimizerSteps = new int[2]; // optimiser time of trainer.step() / direct, NaN where not run
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        float loss = Float.NaN;
        long parameters = 0;
        long faults0 = 0;
        long cpu0 = 0;
        try (Model model = Model.newInstance("side-by-side", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            DecoupledAdamW opt = DecoupledAdamW.builder().learningRate(Tracker.fixed(1e-5f)).build(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new MultiTaskLoss(TaskWeights.unified()))
                    .optOptimizer(opt).optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(net.inputShapes(batch));
                for (Pair<String, Parameter> p : net.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        parameters += p.getValue().getArray().size();
                    }
                }
                NDManager m = trainer.getManager();
                NDList x = new NDList(m.randomNormal(0, 1, net.config().imageShape(batch), DataType.FLOAT32),
                        m.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3}));
                NDList y = new NDList(m.create(new int[] {0, 1, 0, 1, 0, 1, 0, 1}),
                        m.create(new float[] {0.8f, 0.9f, 1.0f, 1.1f, 0.7f, 0.6f, Float.NaN, 1.2f}),
                        m.create(new int[] {12, 13, 14, 15, 16, 11, 10, 9}));
                for (int i = 0; i < warmup + steps; i++) {
                    opt.beginStep();
                    try (NDManager step = m.newSubManager()) {
                        long t0 = System.nanoTime();
                        long t1;
                        long t2;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(NetworkBenchmark.inStep(x, step));
                            NDArray l = trainer.getLoss().evaluate(y, out);
                            loss = l.getFloat();
                            t1 = System.nanoTime();
                            gc.backward(l);
                            t2 = System.nanoTime();
                            out.attach(step);
                            l.attach(step);
                        }
                        boolean direct = optimizer.equals("direct") || (optimizer.equals("alternate") && i % 2 == 1);
                        long c2 = os.getProcessCpuTime();
                        if (direct) {
                            opt.step(trainer);
                        } else {
                            trainer.step();
                        }
                        long t3 = System.nanoTime();
                        long c3 = os.getProcessCpuTime();
                        if (i >= warmup) {
                            optimizerCpu[direct ? 1 : 0] += (c3 - c2) / 1e9;
                            optimizerSteps[direct ? 1 : 0]++;
                            alternate[direct ? 1 : 0][i - warmup] = (t3 - t2) / 1e9;
                            alternate[direct ? 0 : 1][i - warmup] = Double.NaN;
                        }
                        if (i == warmup - 1) {
                            faults0 = minorFaults();
                            cpu0 = os.getProcessCpuTime();
                        }
                        if (i >= warmup) {
                            int k = i - warmup;
                            times[0][k] = (t1 - t0) / 1e9;
                            times[1][k] = (t2 - t1) / 1e9;
                            times[2][k] = (t3 - t2) / 1e9;
                            times[3][k] = (t3 - t0) / 1e9;
                        }
                    }
                }
            }
        }
        double faults = (minorFaults() - faults0) / (double) steps;
        // CPU time over all measured steps / steps (the OS clock is too coarse for one step)
        double cpuPerStep = (os.getProcessCpuTime() - cpu0) / 1e9 / steps;
        double peakMb = peakRssKb() / 1024.0;
        Arrays.fill(times[4], cpuPerStep);
        String[] names = {"forward", "backward", "optimizer", "step", "cpu"};
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            parts.add(String.format(Locale.ROOT, json ? "\"%s_s\": %.6f" : "%s %.4f", names[k], median(times[k])));
        }
        if (optimizer.equals("alternate")) {
            parts.add(String.format(Locale.ROOT, json ? "\"optimizer_trainer_step_s\": %.6f" : "optimizer(trainer.step) %.4f",
                    median(alternate[0])));
            parts.add(String.format(Locale.ROOT, json ? "\"optimizer_direct_s\": %.6f" : "optimizer(direct) %.4f",
                    median(alternate[1])));
            parts.add(String.format(Locale.ROOT, json ? "\"optimizer_cpu_trainer_step_s\": %.6f" : "optimizer-cpu(trainer.step) %.4f",
                    optimizerCpu[0] / Math.max(1, optimizerSteps[0])));
            parts.add(String.format(Locale.ROOT, json ? "\"optimizer_cpu_direct_s\": %.6f" : "optimizer-cpu(direct) %.4f",
                    optimizerCpu[1] / Math.max(1, optimizerSteps[1])));
        }
        String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
        String wait = System.getenv().getOrDefault("OMP_WAIT_POLICY", "");
        String version = "DJL " + Engine.getDjlVersion() + " / libtorch " + Engine.getInstance().getVersion();
        if (json) {
            System.out.printf(Locale.ROOT, "{\"side\": \"djl\", \"version\": \"%s\", \"preset\": \"%s\", \"batch\": %d, "
                    + "\"threads\": %d, \"optimizer\": \"%s\", \"parameters\": %d, \"steps\": %d, \"loss\": %s, "
                    + "\"ld_preload\": \"%s\", \"omp_wait_policy\": \"%s\", \"minor_faults_per_step\": %.1f, "
                    + "\"peak_rss_mb\": %.1f, %s}%n", version, preset, batch, threads,
                    optimizer, parameters, steps, Float.isFinite(loss) ? Float.toString(loss) : "null", preload, wait,
                    faults, peakMb, String.join(", ", parts));
        } else {
            System.out.printf(Locale.ROOT, "%s preset %s batch %d threads %d optimizer %s parameters %d%n",
                    version, preset, batch, threads, optimizer, parameters);
            System.out.println("median s: " + String.join(" ", parts) + String.format(Locale.ROOT,
                    "; minor faults/step %.0f, peak RSS %.0f MB", faults, peakMb));
        }
    }

    /** Minor page faults of this process so far (/proc/self/stat field 10; 0 where unavailable). */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]); // fields after "pid (comm)": state=3 ... minflt=10
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Peak resident set size in kB (VmHWM of /proc/self/status; 0 where unavailable). */
    static long peakRssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through
        }
        return 0;
    }

    /** Median of the non-NaN values. */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
