package io.osteo.train.pretrain;

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
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.net.SwavNet;
import io.osteo.model.optim.WarmupCosineTracker;
import io.osteo.model.swav.SwavConfig;
import io.osteo.model.swav.SwavLoss;
import io.osteo.model.optim.DecoupledAdamW;
import io.osteo.train.checkpoint.TrainingCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TP-SwAV pretraining of a backbone on unlabelled vertebrae (or plain SwAV with random crops).
 *
 * <p>Per step: two views of each vertebra in the batch ({@link ViewMode}), the SwAV network's
 * scores, Sinkhorn codes, the swapped-prediction loss; AdamW (paper: betas 0.9/0.999, weight
 * decay 0.1, lr 1e-4) with linear warm-up then cosine decay to an explicit final value; prototypes
 * frozen for the first {@code freezePrototypesEpochs} epochs and L2-renormalised after every step.
 * A checkpoint is written after every epoch; with {@code resume(true)} a run continues from the
 * last checkpoint of its checkpoint directory and ends with the same parameters as an
 * uninterrupted run (the batch order and views of epoch e depend only on the seed and e).
 * Exact resume needs the SwAV feature queue off ({@code queueLength 0}): the queue is not
 * checkpointed.
 *
 * <p>Only one training may run per JVM at a time (DJL allows one gradient collector); instances
 * are immutable and may be reused sequentially.
 */
public final class TpSwavPretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(TpSwavPretrainer.class);
    private static final Gson GSON = new Gson();

    private final BackboneConfig backbone;
    private final SwavConfig swav;
    private final List<Integer> patchSize;
    private final ViewMode viewMode;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float finalLearningRate;
    private final int warmupEpochs;
    private final float weightDecay;
    private final int freezePrototypesEpochs;
    private final double jitter;
    private final long seed;
    private final Path checkpointDirectory;
    private final boolean resume;
    private final Device device;
    private final ProgressListener listener;

    private TpSwavPretrainer(Builder b) {
        this.backbone = b.backbone.withInChannels(1);
        this.swav = b.swav;
        this.patchSize = List.copyOf(b.patchSize);
        this.viewMode = b.viewMode;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.finalLearningRate = b.finalLearningRate;
        this.warmupEpochs = b.warmupEpochs;
        this.weightDecay = b.weightDecay;
        this.freezePrototypesEpochs = b.freezePrototypesEpochs;
        this.jitter = b.jitter;
        this.seed = b.seed;
        this.checkpointDirectory = b.checkpointDirectory;
        this.resume = b.resume;
        this.device = b.device;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fingerprint of every setting that changes the numbers; a resume with another one is refused. */
    String fingerprint(int dataSize) {
        return String.join("|", backbone.toString(), swav.toString(), patchSize.toString(), viewMode.name(),
                String.valueOf(epochs), String.valueOf(batchSize), Float.toString(learningRate),
                Float.toString(finalLearningRate), String.valueOf(warmupEpochs), Float.toString(weightDecay),
                String.valueOf(freezePrototypesEpochs), Double.toString(jitter), String.valueOf(seed),
                String.valueOf(dataSize));
    }

    /**
     * Pretrains and writes the backbone to {@code outputDirectory} (see {@link PretrainedBackbone}).
     *
     * @throws InvalidInputException on data that does not fit the configuration, or a resume
     *     whose checkpoint was made with other settings
     */
    public PretrainedBackbone pretrain(PretrainingData data, Path outputDirectory) {
        int n = data.size();
        if (n < 2) {
            throw new InvalidInputException("pretraining needs at least 2 vertebrae, got " + n);
        }
        int batch = Math.min(batchSize, n);
        int stepsPerEpoch = n / batch; // the incomplete last batch is dropped (Sinkhorn needs full batches)
        PoolPatch first = data.get(0);
        checkShape(first, 0);
        ViewSampler sampler = new ViewSampler(viewMode, jitter, 0.5);
        String fingerprint = fingerprint(n);
        WarmupCosineTracker schedule = new WarmupCosineTracker(learningRate, finalLearningRate,
                warmupEpochs * stepsPerEpoch, epochs * stepsPerEpoch);

        Engine.getInstance().setRandomSeed((int) seed);
        SwavNet net = new SwavNet(backbone, swav);
        try (Model model = Model.newInstance("tp-swav", device, "PyTorch")) {
            model.setBlock(net);
            DecoupledAdamW optimizer = DecoupledAdamW.builder().learningRate(schedule).weightDecay(weightDecay).build(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()) // loss unused: SwAV loss computed below
                    .optOptimizer(optimizer).optDevices(new Device[] {device})
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            Set<String> prototypeNames = prototypeNames(net);
            try (Trainer trainer = model.newTrainer(config); SwavLoss loss = new SwavLoss(swav)) {
                long[] dims = new long[2 + patchSize.size()];
                dims[0] = batch;
                dims[1] = 1;
                for (int i = 0; i < patchSize.size(); i++) dims[2 + i] = patchSize.get(i);
                Shape inputShape = new Shape(dims);
                trainer.initialize(inputShape);
                net.head().normalizePrototypes();

                List<PretrainingEpoch> history = new ArrayList<>();
                int startEpoch = 0;
                TrainingCheckpoints checkpoints = checkpointDirectory == null ? null : new TrainingCheckpoints(checkpointDirectory);
                if (resume && checkpoints != null) {
                    Optional<Path> last = checkpoints.latest();
                    if (last.isPresent()) {
                        JsonObject state = TrainingCheckpoints.readState(last.get());
                        if (!fingerprint.equals(state.get("fingerprint").getAsString())) {
                            throw new InvalidInputException("checkpoint " + last.get() + " was written with other settings "
                                    + "or data; refusing to resume (delete it or use another checkpoint directory)");
                        }
                        TrainingCheckpoints.restore(last.get(), net, model.getNDManager(), optimizer);
                        startEpoch = state.get("epoch").getAsInt();
                        history.addAll(GSON.fromJson(state.get("history"), new TypeToken<List<PretrainingEpoch>>() {}.getType()));
                        LOG.info("Resuming pretraining from {} (epoch {} of {})", last.get(), startEpoch, epochs);
                    }
                }
                listener.started("pretrain", (long) epochs * stepsPerEpoch);
                double lnK = Math.log(swav.prototypes());
                for (int epoch = startEpoch; epoch < epochs; epoch++) {
                    long t0 = System.nanoTime();
                    optimizer.setFrozen(epoch < freezePrototypesEpochs ? prototypeNames : Set.of());
                    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
                    int[] order = permutation(n, random);
                    long[] assignments = new long[swav.prototypes()];
                    double lossSum = 0;
                    for (int s = 0; s < stepsPerEpoch; s++) {
                        float[] v1 = new float[batch * first.voxels()];
                        float[] v2 = new float[batch * first.voxels()];
                        for (int i = 0; i < batch; i++) {
                            int index = order[s * batch + i];
                            PoolPatch p = data.get(index);
                            checkShape(p, index);
                            float[][] views = sampler.views(p, random);
                            System.arraycopy(views[0], 0, v1, i * p.voxels(), p.voxels());
                            System.arraycopy(views[1], 0, v2, i * p.voxels(), p.voxels());
                        }
                        optimizer.beginStep();
                        try (NDManager sub = model.getNDManager().newSubManager()) {
                            NDArray a = sub.create(v1, inputShape);
                            NDArray b = sub.create(v2, inputShape);
                            double value;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList oa = trainer.forward(new NDList(a));
                                NDList ob = trainer.forward(new NDList(b));
                                NDArray l = loss.compute(List.of(oa, ob), net.head().prototypes().getArray());
                                gc.backward(l);
                                value = l.toType(DataType.FLOAT64, false).getDouble();
                                long[] argmax = oa.get(SwavNet.SCORES).argMax(1).toLongArray();
                                for (long k : argmax) assignments[(int) k]++;
                            }
                            trainer.step();
                            net.head().normalizePrototypes();
                            if (!Double.isFinite(value)) {
                                throw new InvalidInputException("pretraining loss became " + value + " at epoch "
                                        + (epoch + 1) + " step " + (s + 1) + " (learning rate too high?)");
                            }
                            lossSum += value;
                        }
                        listener.progressed("pretrain", (long) epoch * stepsPerEpoch + s + 1, (long) epochs * stepsPerEpoch,
                                String.format(Locale.ROOT, "epoch %d/%d loss %.4f (ln K %.4f)", epoch + 1, epochs,
                                        lossSum / (s + 1), lnK));
                    }
                    double entropy = entropy(assignments);
                    int used = 0;
                    for (long c : assignments) if (c > 0) used++;
                    double meanLoss = lossSum / stepsPerEpoch;
                    boolean collapsed = entropy < 0.1 * lnK || Math.abs(meanLoss - lnK) < 0.01 * lnK;
                    PretrainingEpoch stats = new PretrainingEpoch(epoch + 1, meanLoss, lnK, entropy, used,
                            optimizer.currentLearningRate(), collapsed, (System.nanoTime() - t0) / 1e9);
                    history.add(stats);
                    if (collapsed) {
                        LOG.warn("SwAV collapse suspected at epoch {}: loss {} vs ln K {}, assignment entropy {} ({} of {} prototypes used)",
                                epoch + 1, meanLoss, lnK, entropy, used, swav.prototypes());
                    } else {
                        LOG.info("Pretraining epoch {}: loss {} (ln K {}), assignment entropy {}, {} prototypes used",
                                epoch + 1, meanLoss, lnK, entropy, used);
                    }
                    if (checkpoints != null) {
                        JsonObject state = new JsonObject();
                        state.addProperty("fingerprint", fingerprint);
                        state.add("history", GSON.toJsonTree(history));
                        checkpoints.save(epoch + 1, net, optimizer, state);
                    }
                }
                PretrainedBackbone result = new PretrainedBackbone(backbone, swav, viewMode, seed, history);
                result.write(outputDirectory, net.backbone());
                listener.finished("pretrain", history.isEmpty() ? "no epochs" : String.format(Locale.ROOT,
                        "loss %.4f (ln K %.4f)%s", history.get(history.size() - 1).meanLoss(), lnK,
                        result.collapsed() ? ", collapse suspected" : ""));
                return result;
            }
        }
    }

    private void checkShape(PoolPatch p, int index) {
        if (p.shape().length != patchSize.size()) {
            throw new InvalidInputException("pretraining vertebra " + index + " has " + p.shape().length
                    + " axes, the backbone expects " + patchSize.size());
        }
        for (int a = 0; a < patchSize.size(); a++) {
            if (p.shape()[a] != patchSize.get(a)) {
                throw new InvalidInputException("pretraining vertebra " + index + " has shape "
                        + java.util.Arrays.toString(p.shape()) + ", expected " + patchSize);
            }
        }
    }

    private static Set<String> prototypeNames(SwavNet net) {
        Set<String> names = new java.util.HashSet<>();
        for (ai.djl.util.Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue() == net.head().prototypes()) names.add(p.getKey());
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("SwAV prototypes parameter not found in the network");
        }
        return names;
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

    private static double entropy(long[] counts) {
        long total = 0;
        for (long c : counts) total += c;
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double q = (double) c / total;
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    /** Configures a {@link TpSwavPretrainer}. Defaults: the CPU-small network, 2D-free, paper optimiser. */
    public static final class Builder {
        private BackboneConfig backbone = BackboneConfig.cpuSmall();
        private SwavConfig swav = SwavConfig.cpuSmall();
        private List<Integer> patchSize = List.of(32, 32, 32);
        private ViewMode viewMode = ViewMode.TEXTURE_POOL;
        private int epochs = 10;
        private int batchSize = 32;
        private float learningRate = 1e-4f;
        private float finalLearningRate = 0f;
        private int warmupEpochs = 1;
        private float weightDecay = 0.1f;
        private int freezePrototypesEpochs = 1;
        private double jitter = 0.1;
        private long seed = 1;
        private Path checkpointDirectory;
        private boolean resume = false;
        private Device device = Device.cpu();
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {}

        /** Backbone architecture (its input channels are set to 1: each view is one map). */
        public Builder backbone(BackboneConfig value) {
            backbone = value;
            return this;
        }

        public Builder swav(SwavConfig value) {
            swav = value;
            return this;
        }

        /** Patch size in voxels, slowest axis first ([D, H, W] or [H, W]), matching the backbone's dimensionality. */
        public Builder patchSize(List<Integer> value) {
            patchSize = List.copyOf(value);
            return this;
        }

        public Builder viewMode(ViewMode value) {
            viewMode = value;
            return this;
        }

        public Builder epochs(int value) {
            if (value < 1) throw new InvalidInputException("pretraining epochs must be >= 1, got " + value);
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            if (value < 2) throw new InvalidInputException("SwAV batch size must be >= 2, got " + value);
            batchSize = value;
            return this;
        }

        /** Peak learning rate after warm-up (paper: 1e-4) and the explicit final value of the cosine decay. */
        public Builder learningRate(float peak, float finalValue) {
            if (!(peak > 0) || !(finalValue >= 0) || finalValue > peak) {
                throw new InvalidInputException("learning rates must satisfy 0 <= final <= peak, peak > 0: " + peak + ", " + finalValue);
            }
            learningRate = peak;
            finalLearningRate = finalValue;
            return this;
        }

        /** Linear warm-up length in epochs (paper: 100 of 300); must be below the epoch count. */
        public Builder warmupEpochs(int value) {
            if (value < 0) throw new InvalidInputException("warm-up epochs must be >= 0, got " + value);
            warmupEpochs = value;
            return this;
        }

        public Builder weightDecay(float value) {
            weightDecay = value;
            return this;
        }

        /** Epochs during which the prototypes are not updated (SwAV: 1). */
        public Builder freezePrototypesEpochs(int value) {
            if (value < 0) throw new InvalidInputException("prototype freeze epochs must be >= 0, got " + value);
            freezePrototypesEpochs = value;
            return this;
        }

        /** Half-width of the random intensity scale (1 +- j) and shift (+- j) of each view, normalised units. */
        public Builder intensityJitter(double value) {
            if (!(value >= 0 && value < 1)) throw new InvalidInputException("intensity jitter must be in [0, 1), got " + value);
            jitter = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Directory of per-epoch checkpoints (none by default). */
        public Builder checkpointDirectory(Path value) {
            checkpointDirectory = value;
            return this;
        }

        /** Continue from the last checkpoint of the checkpoint directory, if there is one. */
        public Builder resume(boolean value) {
            resume = value;
            return this;
        }

        public Builder device(Device value) {
            device = value;
            return this;
        }

        public Builder progress(ProgressListener value) {
            listener = value;
            return this;
        }

        public TpSwavPretrainer build() {
            if (warmupEpochs >= epochs) {
                throw new InvalidInputException("warm-up (" + warmupEpochs + " epochs) must be shorter than training ("
                        + epochs + " epochs)");
            }
            if (patchSize.size() != backbone.spatialDims()) {
                throw new InvalidInputException("patch size " + patchSize + " does not match a " + backbone.spatialDims() + "D backbone");
            }
            if (resume && checkpointDirectory == null) {
                throw new InvalidInputException("resume needs a checkpoint directory");
            }
            if (resume && swav.queueLength() > 0) {
                throw new InvalidInputException("exact resume needs the SwAV queue off (queueLength 0), got " + swav.queueLength());
            }
            return new TpSwavPretrainer(this);
        }
    }
}
