package io.osteo.train.pretrain;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.net.SwavNet;
import io.osteo.model.optim.DecoupledAdamW;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.swav.SwavConfig;
import io.osteo.model.swav.SwavLoss;
import io.osteo.train.augment.PatchTransform;
import io.osteo.train.engine.EngineSettings;
import io.osteo.train.engine.HostBatch;
import io.osteo.train.engine.TrainingEngine;
import io.osteo.train.engine.TrainingSchedule;
import io.osteo.train.engine.TrainingTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TP-SwAV pretraining of a backbone on unlabelled vertebrae (or plain SwAV with random crops), on
 * the {@link TrainingEngine}.
 *
 * <p>Per step: two views of each vertebra in the batch ({@link ViewMode}; each view independently
 * augmented within physical bounds and normalised with the pool's fixed {@link ChannelScaling}),
 * the SwAV network's scores, Sinkhorn codes, the swapped-prediction loss; AdamW with linear warm-up
 * then cosine decay to an explicit final value; prototypes frozen for the first {@code
 * freezePrototypesEpochs} epochs and L2-renormalised after every step. Patches arrive in physical
 * units (channel 0 in HU, texture maps raw); the channel statistics are fitted once on the
 * pretraining data and written with the backbone. Every epoch records the loss against ln K and the
 * entropy of the prototype assignments, so collapse is visible. A checkpoint is written after
 * every epoch; with {@code resume(true)} a run continues from the last checkpoint and ends with
 * the same parameters as an uninterrupted run. Exact resume needs the SwAV feature queue off
 * ({@code queueLength 0}): the queue is not checkpointed.
 *
 * <p>With several devices Sinkhorn codes are computed per device shard. Only one training may run
 * per JVM at a time (DJL allows one gradient collector); instances are immutable and may be reused
 * sequentially.
 */
public final class TpSwavPretrainer {

    private static final Logger LOG = LoggerFactory.getLogger(TpSwavPretrainer.class);
    private static final Gson GSON = new Gson();
    /** Patches sampled to fit the fixed channel statistics. */
    private static final int STATISTICS_SAMPLE = 2000;

    private final EngineSettings settings;
    private final BackboneConfig backbone;
    private final SwavConfig swav;
    private final List<Integer> patchSize;
    private final ViewMode viewMode;
    private final int freezePrototypesEpochs;
    private final PatchTransform augmentation;
    private final Normalization huWindow;

    private TpSwavPretrainer(Builder b) {
        this.settings = b.engineSettings();
        this.backbone = b.backbone.withInChannels(1);
        this.swav = b.swav;
        this.patchSize = List.copyOf(b.patchSize);
        this.viewMode = b.viewMode;
        this.freezePrototypesEpochs = b.freezePrototypesEpochs;
        this.augmentation = b.augmentation;
        this.huWindow = b.huWindow;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fingerprint of every setting that changes the numbers; a resume with another one is refused. */
    String fingerprint(int dataSize) {
        return String.join("|", backbone.toString(), swav.toString(), patchSize.toString(), viewMode.name(),
                String.valueOf(freezePrototypesEpochs), augmentation.toString(), huWindow.toString(),
                String.valueOf(dataSize));
    }

    /**
     * Pretrains and writes the backbone to {@code outputDirectory} (see {@link PretrainedBackbone}).
     *
     * @throws InvalidInputException on data that does not fit the configuration, or a resume
     *     whose checkpoint was made with other settings
     */
    public PretrainedBackbone pretrain(PretrainingData data, Path outputDirectory) {
        if (data.size() < 2) {
            throw new InvalidInputException("pretraining needs at least 2 vertebrae, got " + data.size());
        }
        checkShape(data.get(0), 0);
        ChannelScaling scaling = ChannelScaling.fit(data, huWindow, STATISTICS_SAMPLE);
        TrainingEngine engine = new TrainingEngine(settings, "tp-swav");
        return engine.run(new Task(data, scaling, outputDirectory));
    }

    /** The engine task of one pretraining run. */
    private final class Task implements TrainingTask<PretrainedBackbone> {
        private final PretrainingData data;
        private final ChannelScaling scaling;
        private final Path outputDirectory;
        private final SwavNet net = new SwavNet(backbone, swav);
        private final ViewSampler sampler;
        private final SwavLoss loss = new SwavLoss(swav);
        private final double lnK = Math.log(swav.prototypes());
        private Set<String> prototypeNames;
        private List<PretrainingEpoch> history = new ArrayList<>();
        private long[] assignments = new long[swav.prototypes()];
        private long epochStart = System.nanoTime();

        Task(PretrainingData data, ChannelScaling scaling, Path outputDirectory) {
            this.data = data;
            this.scaling = scaling;
            this.outputDirectory = outputDirectory;
            this.sampler = new ViewSampler(viewMode, 0.5, augmentation, scaling);
        }

        @Override
        public String stage() {
            return "pretrain";
        }

        @Override
        public String fingerprint() {
            return TpSwavPretrainer.this.fingerprint(data.size()) + "|" + scaling;
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public Block block() {
            return net;
        }

        @Override
        public Shape[] inputShapes(int batch) {
            return new Shape[] {shape(batch)};
        }

        private Shape shape(int batch) {
            long[] dims = new long[2 + patchSize.size()];
            dims[0] = batch;
            dims[1] = 1;
            for (int i = 0; i < patchSize.size(); i++) dims[2 + i] = patchSize.get(i);
            return new Shape(dims);
        }

        @Override
        public void initialized(Model model, Trainer trainer, DecoupledAdamW optimizer) {
            prototypeNames = prototypeNames(net);
            net.head().normalizePrototypes();
        }

        @Override
        public void beforeEpoch(int epoch, DecoupledAdamW optimizer) {
            optimizer.setFrozen(epoch < freezePrototypesEpochs ? prototypeNames : Set.of());
            assignments = new long[swav.prototypes()];
            epochStart = System.nanoTime();
        }

        @Override
        public HostBatch prepare(int[] items, SplittableRandom random) {
            int voxels = data.get(items[0]).voxels();
            float[] v1 = new float[items.length * voxels];
            float[] v2 = new float[items.length * voxels];
            for (int i = 0; i < items.length; i++) {
                PoolPatch p = data.get(items[i]);
                checkShape(p, items[i]);
                float[][] views = sampler.views(p, random);
                System.arraycopy(views[0], 0, v1, i * voxels, voxels);
                System.arraycopy(views[1], 0, v2, i * voxels, voxels);
            }
            long[] dims = shape(items.length).getShape();
            return HostBatch.of(items.length, HostBatch.floats("view1", v1, dims), HostBatch.floats("view2", v2, dims));
        }

        @Override
        public NDArray loss(Trainer trainer, NDList batch) {
            NDList a = trainer.forward(new NDList(batch.get(0)));
            NDList b = trainer.forward(new NDList(batch.get(1)));
            for (long k : a.get(SwavNet.SCORES).argMax(1).toLongArray()) assignments[(int) k]++;
            return loss.compute(List.of(a, b), net.head().prototypes().getArray());
        }

        @Override
        public void afterStep(Trainer trainer) {
            net.head().normalizePrototypes();
        }

        @Override
        public EpochOutcome endEpoch(int epoch, double meanLoss, Model model, Trainer trainer, DecoupledAdamW optimizer) {
            double entropy = entropy(assignments);
            int used = 0;
            for (long c : assignments) if (c > 0) used++;
            boolean collapsed = entropy < 0.1 * lnK || Math.abs(meanLoss - lnK) < 0.01 * lnK;
            PretrainingEpoch stats = new PretrainingEpoch(epoch, meanLoss, lnK, entropy, used, optimizer.currentLearningRate(),
                    collapsed, (System.nanoTime() - epochStart) / 1e9);
            history.add(stats);
            if (collapsed) {
                LOG.warn("SwAV collapse suspected at epoch {}: loss {} vs ln K {}, assignment entropy {} ({} of {} prototypes used)",
                        epoch, meanLoss, lnK, entropy, used, swav.prototypes());
            }
            return new EpochOutcome(String.format(Locale.ROOT, "loss %.4f (ln K %.4f), assignment entropy %.3f, %d of %d "
                    + "prototypes used%s", meanLoss, lnK, entropy, used, swav.prototypes(), collapsed ? ", COLLAPSE SUSPECTED" : ""),
                    false);
        }

        @Override
        public JsonObject state() {
            JsonObject s = new JsonObject();
            s.add("history", GSON.toJsonTree(history));
            return s;
        }

        @Override
        public void restore(JsonObject s) {
            history = new ArrayList<>(GSON.fromJson(s.get("history"), new TypeToken<List<PretrainingEpoch>>() {}.getType()));
        }

        @Override
        public PretrainedBackbone finish(Model model, Trainer trainer, boolean stoppedEarly) {
            loss.close();
            PretrainedBackbone result = new PretrainedBackbone(backbone, swav, viewMode, settings.seed(), scaling, history);
            result.write(outputDirectory, net.backbone());
            return result;
        }
    }

    private void checkShape(PoolPatch p, int index) {
        boolean ok = p.shape().length == patchSize.size();
        for (int a = 0; ok && a < patchSize.size(); a++) ok = p.shape()[a] == patchSize.get(a);
        if (!ok) {
            throw new InvalidInputException("pretraining vertebra " + index + " has shape " + Arrays.toString(p.shape())
                    + ", the backbone expects " + patchSize);
        }
    }

    private static Set<String> prototypeNames(SwavNet net) {
        Set<String> names = new HashSet<>();
        for (ai.djl.util.Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue() == net.head().prototypes()) names.add(p.getKey());
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("SwAV prototypes parameter not found in the network");
        }
        return names;
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

    /**
     * Configures a {@link TpSwavPretrainer}. Defaults: the CPU-small network, 3D 32^3 patches,
     * texture-pool views, the paper's optimiser over 10 epochs, prototypes frozen for one epoch, no
     * augmentation unless set (the pipeline sets the recipe's), bone-window CT channel.
     */
    public static final class Builder extends EngineSettings.Builder<Builder> {
        private BackboneConfig backbone = BackboneConfig.cpuSmall();
        private SwavConfig swav = SwavConfig.cpuSmall();
        private List<Integer> patchSize = List.of(32, 32, 32);
        private ViewMode viewMode = ViewMode.TEXTURE_POOL;
        private int freezePrototypesEpochs = 1;
        private PatchTransform augmentation = PatchTransform.IDENTITY;
        private Normalization huWindow = Normalization.boneWindow();

        private Builder() {
            super(TrainingSchedule.paperPretraining(10));
        }

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

        /** Epochs during which the prototypes are not updated (SwAV: 1). */
        public Builder freezePrototypesEpochs(int value) {
            if (value < 0) throw new InvalidInputException("prototype freeze epochs must be >= 0, got " + value);
            freezePrototypesEpochs = value;
            return this;
        }

        /** Random transform of each view's patch in physical units, before normalisation (default none). */
        public Builder augmentation(PatchTransform value) {
            augmentation = value == null ? PatchTransform.IDENTITY : value;
            return this;
        }

        /** HU window of the CT channel (default the bone window; the fine-tuned model must use the same). */
        public Builder huWindow(Normalization value) {
            if (value == null) throw new InvalidInputException("HU window is null");
            huWindow = value;
            return this;
        }

        public TpSwavPretrainer build() {
            if (patchSize.size() != backbone.spatialDims()) {
                throw new InvalidInputException("patch size " + patchSize + " does not match a " + backbone.spatialDims()
                        + "D backbone");
            }
            return new TpSwavPretrainer(this);
        }
    }
}
