package io.osteo.train.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.optim.DecoupledAdamW;
import io.osteo.train.checkpoint.TrainingCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of OsteoScreen: every trainer (TP-SwAV pretraining, multi-task
 * fine-tuning) is a {@link TrainingTask} run by this engine.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>Initialisation as the blocks define it.</b> Parameters that set their own initialiser
 *       (He-normal convolutions, a Normal(0.02) device embedding, unit-normal prototypes) keep it;
 *       only parameters without one get the fallback (Xavier for weights, zeros otherwise). DJL's
 *       {@code optInitializer(init, Parameter.Type.WEIGHT)} would overwrite all of them.</li>
 *   <li><b>Seeded order.</b> The permutation of epoch e depends on (seed, e) only; the batch of step
 *       s on (seed, e, s) only (Fisher-Yates, not DJL's cyclic sampler), so an interrupted run that
 *       resumes from its last checkpoint ends with the same parameters as an uninterrupted one.</li>
 *   <li><b>Streaming data.</b> Batches are assembled on a background thread one step ahead
 *       ({@link TrainingTask#prepare}); only two batches of host memory are live.</li>
 *   <li><b>Memory scopes.</b> Every step's arrays live in a sub-manager closed at the end of the
 *       step, so intermediates never outlive their step.</li>
 *   <li><b>Data-parallel devices.</b> With several devices each batch is split in row blocks, one
 *       per device (at least 2 rows each, for BatchNorm); shard losses are weighted by their size so
 *       the gradient equals the full batch's; DJL's parameter store sums gradients across devices.
 *       With one device the optimiser updates each parameter directly.</li>
 *   <li><b>NaN guards.</b> A batch with NaN/Inf inputs or a non-finite loss stops training before
 *       the update with an exception that names the stage, epoch and step. A step whose gradients
 *       are not finite is skipped (gradients zeroed, warning logged); {@value #MAX_SKIPPED_IN_A_ROW}
 *       such steps in a row stop training.</li>
 *   <li><b>Checkpoints</b> after every epoch (parameters, optimiser state, the task's state and a
 *       fingerprint of every setting; a resume with another fingerprint is refused).</li>
 * </ul>
 *
 * <p>Only one training may run per JVM at a time (DJL allows one active gradient collector).
 * Immutable; reusable sequentially.
 */
public final class TrainingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingEngine.class);

    /** The loss slot of DJL's training config; every task computes its own loss. */
    private static final Loss UNUSED_LOSS = Loss.l1Loss("unused");
    /** Consecutive steps with non-finite gradients after which training stops. */
    static final int MAX_SKIPPED_IN_A_ROW = 3;

    private final EngineSettings settings;
    private final String modelName;

    /**
     * @param settings schedule, seed, devices, checkpoints, progress
     * @param modelName DJL model name (also the parameter file prefix of saved models)
     */
    public TrainingEngine(EngineSettings settings, String modelName) {
        this.settings = settings;
        this.modelName = modelName;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** Effective batch size for a data set of {@code n} items (the schedule's, at most n). */
    public int batchSize(int n) {
        return Math.min(settings.schedule().batchSize(), n);
    }

    /** Optimiser steps per epoch for {@code n} items (the incomplete last batch is dropped). */
    public int stepsPerEpoch(int n) {
        return n / batchSize(n);
    }

    /**
     * Row counts of each device's shard of a batch: as equal as possible, the first shards one
     * larger when it does not divide.
     *
     * @throws InvalidInputException when a shard would have fewer than 2 rows (BatchNorm needs 2)
     */
    public static int[] shardSizes(int batch, int devices) {
        if (devices < 1) throw new InvalidInputException("at least one device is needed, got " + devices);
        if (batch < 2L * devices) {
            throw new InvalidInputException("a batch of " + batch + " cannot be split over " + devices
                    + " devices with at least 2 vertebrae each (BatchNorm needs 2): use a larger batch or fewer devices");
        }
        int[] sizes = new int[devices];
        for (int i = 0; i < devices; i++) sizes[i] = batch / devices + (i < batch % devices ? 1 : 0);
        return sizes;
    }

    /** The seeded permutation of epoch {@code epoch} (0-based). */
    public int[] order(int n, int epoch) {
        return permutation(n, new SplittableRandom(mix(settings.seed(), epoch, -1)));
    }

    /** Runs the task to the end (or an early stop) and returns its result. */
    public <R> R run(TrainingTask<R> task) {
        int n = task.size();
        if (n < 2) {
            throw new InvalidInputException(task.stage() + " needs at least 2 training vertebrae, got " + n);
        }
        TrainingSchedule schedule = settings.schedule();
        int batch = batchSize(n);
        int steps = stepsPerEpoch(n);
        Device[] devices = settings.devices().toArray(new Device[0]);
        int[] shards = shardSizes(batch, devices.length);
        String fingerprint = String.join("|", task.fingerprint(), schedule.fingerprint(), "seed=" + settings.seed(),
                "devices=" + devices.length, "n=" + n);
        ProgressListener progress = settings.progress();
        long totalSteps = (long) schedule.epochs() * steps;

        Engine.getInstance().setRandomSeed((int) settings.seed());
        Block block = task.block();
        try (Model model = Model.newInstance(modelName, devices[0], "PyTorch")) {
            model.setBlock(block);
            DecoupledAdamW optimizer = DecoupledAdamW.builder().learningRate(schedule.tracker(steps))
                    .weightDecay(schedule.weightDecay()).build(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(UNUSED_LOSS).optOptimizer(optimizer).optDevices(devices);
            addFallbackInitializers(config, block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(task.inputShapes(shards[0]));
                task.initialized(model, trainer, optimizer);
                int startEpoch = resumeIfAsked(task, fingerprint, block, model, optimizer);
                progress.started(task.stage(), totalSteps);
                boolean stoppedEarly = false;
                int skippedInARow = 0;
                int skippedSteps = 0;
                for (int epoch = startEpoch; epoch < schedule.epochs(); epoch++) {
                    task.beforeEpoch(epoch, optimizer);
                    int[] order = order(n, epoch);
                    final int e = epoch;
                    double lossSum = 0;
                    try (BatchPrefetcher prefetcher = new BatchPrefetcher(
                            s -> task.prepare(Arrays.copyOfRange(order, s * batch, (s + 1) * batch),
                                    new SplittableRandom(mix(settings.seed(), e, s))),
                            steps, "osteo-" + task.stage() + "-prefetch")) {
                        for (int s = 0; s < steps; s++) {
                            HostBatch host = prefetcher.next();
                            requireFinite(host, task.stage(), epoch + 1, s + 1);
                            double value = step(task, trainer, optimizer, host, shards, devices);
                            if (!Double.isFinite(value)) {
                                throw new OsteoException(task.stage() + " loss became " + value + " at epoch " + (epoch + 1)
                                        + " step " + (s + 1) + " of " + steps + " (learning rate "
                                        + optimizer.currentLearningRate() + " too high, or non-finite input?); no update was applied");
                            }
                            String bad = nonFiniteGradient(block);
                            if (bad != null) {
                                // skip this update (as loss-scaled training skips overflowing steps), stop if it repeats
                                skippedInARow++;
                                skippedSteps++;
                                zeroGradients(block);
                                LOG.warn("{} epoch {} step {}: the gradient of {} is not finite; the update was skipped ({} in a row,"
                                        + " {} in this run)", task.stage(), epoch + 1, s + 1, bad, skippedInARow, skippedSteps);
                                if (skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                                    throw new OsteoException(task.stage() + " gradients were not finite in " + skippedInARow
                                            + " steps in a row (last: " + bad + " at epoch " + (epoch + 1) + " step " + (s + 1)
                                            + "); no update was applied (learning rate too high, or a numerically unsafe layer)");
                                }
                                continue;
                            }
                            skippedInARow = 0;
                            applyUpdate(trainer, optimizer, devices.length);
                            task.afterStep(trainer);
                            lossSum += value;
                            progress.progressed(task.stage(), (long) epoch * steps + s + 1, totalSteps,
                                    String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch + 1, schedule.epochs(),
                                            lossSum / (s + 1)));
                        }
                    }
                    TrainingTask.EpochOutcome outcome = task.endEpoch(epoch + 1, lossSum / steps, model, trainer, optimizer);
                    LOG.info("{} epoch {}/{}: {}", task.stage(), epoch + 1, schedule.epochs(), outcome.summary());
                    if (settings.checkpointDirectory() != null) {
                        JsonObject state = new JsonObject();
                        state.addProperty("fingerprint", fingerprint);
                        state.add("task", task.state());
                        new TrainingCheckpoints(settings.checkpointDirectory()).save(epoch + 1, block, optimizer, state);
                    }
                    if (outcome.stop()) {
                        stoppedEarly = epoch + 1 < schedule.epochs();
                        break;
                    }
                }
                R result = task.finish(model, trainer, stoppedEarly);
                progress.finished(task.stage(), stoppedEarly ? "stopped early" : "done");
                return result;
            }
        }
    }

    /** Forward, loss and backward of one batch over its device shards; returns the batch's mean loss. */
    static double step(TrainingTask<?> task, Trainer trainer, DecoupledAdamW optimizer, HostBatch host, int[] shards,
            Device[] devices) {
        optimizer.beginStep();
        List<HostBatch> parts = host.shards(shards);
        double value = 0;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (int d = 0; d < parts.size(); d++) {
                HostBatch part = parts.get(d);
                try (NDManager scope = trainer.getManager().newSubManager(devices[d])) {
                    NDList arrays = toArrays(scope, part);
                    NDArray loss = task.loss(trainer, arrays);
                    NDArray weighted = parts.size() == 1 ? loss : loss.mul((float) part.rows() / host.rows());
                    collector.backward(weighted);
                    value += weighted.toType(DataType.FLOAT64, false).getDouble();
                }
            }
        }
        return value;
    }

    /**
     * The name of the first trainable parameter whose gradient holds NaN or infinity, or null: an
     * update from it would write non-finite values into the parameters (a finite loss can still
     * have non-finite gradients). One reduction per parameter, read back at once.
     */
    private static String nonFiniteGradient(Block block) {
        List<String> names = new ArrayList<>();
        NDList sums = new NDList();
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (!p.getValue().requiresGradient()) continue;
                NDArray grad = p.getValue().getArray().getGradient();
                sums.add(grad.sum().toType(DataType.FLOAT32, false));
                grad.close();
                names.add(p.getKey());
            }
            if (sums.isEmpty()) return null;
            float[] values = NDArrays.stack(sums).toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) return names.get(i);
            }
            return null;
        } finally {
            sums.close();
        }
    }

    /** Sets every trainable parameter's gradient to 0 in place (a skipped step leaves nothing behind). */
    private static void zeroGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) continue;
            try (NDArray grad = p.getValue().getArray().getGradient()) {
                grad.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            }
        }
    }

    /** Refuses a batch with NaN or infinite inputs before it reaches native code, naming where. */
    private static void requireFinite(HostBatch batch, String stage, int epoch, int step) {
        for (HostBatch.Tensor t : batch.tensors()) {
            float[] v = t.floats();
            if (v == null) continue;
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    long row = i / Math.max(1, t.rowLength());
                    throw new OsteoException(stage + " batch tensor '" + t.name() + "' holds " + v[i] + " in row " + row
                            + " of epoch " + epoch + " step " + step + ": a non-finite input (check the data and its normalisation)");
                }
            }
        }
    }

    /**
     * The optimiser update: on one device each parameter is updated in place from its own
     * gradient (no parameter-server copy of every gradient, bit-identical to {@code
     * trainer.step()}); with several devices DJL's parameter store sums their gradients first.
     */
    private static void applyUpdate(Trainer trainer, DecoupledAdamW optimizer, int deviceCount) {
        optimizer.step(trainer);
    }

    private static NDList toArrays(NDManager manager, HostBatch batch) {
        NDList list = new NDList(batch.tensors().size());
        for (HostBatch.Tensor t : batch.tensors()) {
            Shape shape = new Shape(t.shape());
            list.add(t.floats() != null ? manager.create(t.floats(), shape) : manager.create(t.ints(), shape));
        }
        return list;
    }

    private <R> int resumeIfAsked(TrainingTask<R> task, String fingerprint, Block block, Model model, DecoupledAdamW optimizer) {
        if (!settings.resume() || settings.checkpointDirectory() == null) return 0;
        Optional<Path> last = new TrainingCheckpoints(settings.checkpointDirectory()).latest();
        if (last.isEmpty()) return 0;
        JsonObject state = TrainingCheckpoints.readState(last.get());
        if (!state.has("fingerprint") || !fingerprint.equals(state.get("fingerprint").getAsString()) || !state.has("task")) {
            throw new InvalidInputException("checkpoint " + last.get() + " was written with other settings or data; "
                    + "refusing to resume (delete it or use another checkpoint directory)");
        }
        TrainingCheckpoints.restore(last.get(), block, model.getNDManager(), optimizer);
        task.restore(state.getAsJsonObject("task"));
        int epoch = state.get("epoch").getAsInt();
        LOG.info("Resuming {} from {} (epoch {} of {})", task.stage(), last.get(), epoch, settings.schedule().epochs());
        return epoch;
    }

    /**
     * Gives parameters that define no initialiser of their own a fallback (Xavier for weights,
     * zeros for the rest) and leaves every block-defined initialiser alone.
     */
    static void addFallbackInitializers(DefaultTrainingConfig config, Block block) {
        List<String> fallback = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getInitializer() == null) fallback.add(p.getKey());
        }
        if (!fallback.isEmpty()) {
            LOG.debug("Parameters with the fallback initialiser: {}", fallback);
        }
        config.optInitializer(new XavierInitializer(),
                p -> p.getInitializer() == null && p.getType() == Parameter.Type.WEIGHT);
        config.optInitializer(Initializer.ZEROS, p -> p.getInitializer() == null);
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates: every permutation equally likely
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A 64-bit mix of (seed, epoch, step) for independent, reproducible random streams. */
    static long mix(long seed, int epoch, int step) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + step * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
