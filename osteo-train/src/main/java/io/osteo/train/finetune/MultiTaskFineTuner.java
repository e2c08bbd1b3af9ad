package io.osteo.train.finetune;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.metrics.ConfusionMatrix;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.optim.WarmupCosineTracker;
import io.osteo.model.packaging.BmdScaling;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Provenance;
import io.osteo.model.packaging.VertebraPatch;
import io.osteo.model.optim.DecoupledAdamW;
import io.osteo.train.checkpoint.TrainingCheckpoints;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.VertebraPrediction;
import io.osteo.train.pretrain.PretrainedBackbone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes the screening network {@link OsteoNet} on labelled vertebrae with the multi-task
 * loss of {@link LossChoice} (MoE or plain decoder), from scratch or from a TP-SwAV / SwAV
 * backbone. AdamW (betas 0.9/0.999, weight decay 0.1 on weights) with linear warm-up then cosine
 * decay; BMD targets standardised on the training set (the packaged model maps its output back to
 * g/cm^2). After every epoch the vertebra-level F1 on the validation set is computed at the
 * decision threshold; the best epoch is written as a packaged model directory (model selection on
 * validation F1) and training stops when F1 has not improved for {@code patience} epochs.
 * Checkpoints after every epoch allow an exact resume.
 *
 * <p>Only one training per JVM at a time (DJL allows one gradient collector). Immutable; reuse
 * sequentially.
 */
public final class MultiTaskFineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(MultiTaskFineTuner.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final OsteoNetConfig network;
    private final LossChoice loss;
    private final Path pretrained;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float finalLearningRate;
    private final int warmupEpochs;
    private final float weightDecay;
    private final int patience;
    private final double threshold;
    private final long seed;
    private final String name;
    private final InputSpec inputSpec;
    private final Path checkpointDirectory;
    private final boolean resume;
    private final Device device;
    private final ProgressListener listener;

    private MultiTaskFineTuner(Builder b) {
        DecoderConfig base = b.network.decoder();
        DecoderConfig decoder = b.moe
                ? (base.kind() == DecoderConfig.Kind.MOE ? base : DecoderConfig.builder().gateHidden(base.gateHidden())
                        .expertHidden(base.expertHidden()).build())
                : DecoderConfig.builder().kind(DecoderConfig.Kind.PLAIN).experts(1).gateHidden(base.gateHidden())
                        .expertHidden(base.expertHidden()).deviceEmbedding(false).build();
        this.network = b.network.withInChannels(1).withDecoder(decoder);
        this.loss = b.loss;
        this.pretrained = b.pretrained;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.finalLearningRate = b.finalLearningRate;
        this.warmupEpochs = b.warmupEpochs;
        this.weightDecay = b.weightDecay;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.seed = b.seed;
        this.name = b.name;
        this.inputSpec = b.inputSpec != null ? b.inputSpec : new InputSpec(1,
                Collections.nCopies(network.patchSize().size(), 0.8), null, Normalization.boneWindow());
        this.checkpointDirectory = b.checkpointDirectory;
        this.resume = b.resume;
        this.device = b.device;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The network actually trained (one input channel, decoder per the MoE switch). */
    public OsteoNetConfig network() {
        return network;
    }

    private String fingerprint(int trainSize, int validSize) {
        return String.join("|", network.toString(), loss.name(), String.valueOf(pretrained), String.valueOf(epochs),
                String.valueOf(batchSize), Float.toString(learningRate), Float.toString(finalLearningRate),
                String.valueOf(warmupEpochs), Float.toString(weightDecay), String.valueOf(patience),
                Double.toString(threshold), String.valueOf(seed), trainSize + "/" + validSize);
    }

    /**
     * Trains and writes the selected model to {@code modelDirectory}.
     *
     * @throws InvalidInputException on empty data, patches that do not fit the network, or a
     *     validation set without a positive vertebra (F1 could not select a model)
     */
    public FineTuneResult fit(List<LabelledVertebra> train, List<LabelledVertebra> validation, Path modelDirectory) {
        if (train.size() < 2) {
            throw new InvalidInputException("fine-tuning needs at least 2 training vertebrae, got " + train.size());
        }
        if (validation.stream().noneMatch(LabelledVertebra::positive)) {
            throw new InvalidInputException("the validation set has no positive vertebra: F1 cannot select a model");
        }
        for (int i = 0; i < train.size(); i++) checkPatch(train.get(i), "training", i);
        for (int i = 0; i < validation.size(); i++) checkPatch(validation.get(i), "validation", i);
        int batch = Math.min(batchSize, train.size());
        // the incomplete last batch is dropped (BatchNorm needs > 1 sample); the order changes every epoch
        int stepsPerEpoch = train.size() / batch;
        double[] bmd = train.stream().mapToDouble(LabelledVertebra::bmdGcm2).toArray();
        double mean = java.util.Arrays.stream(bmd).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(bmd).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, bmd.length - 1));
        BmdScaling scaling = new BmdScaling(mean, sd > 1e-6 ? sd : 1.0);
        String fingerprint = fingerprint(train.size(), validation.size());
        ModelDescriptor descriptor = ModelDescriptor.of(name, network, inputSpec, null).withBmdScaling(scaling)
                .withOperatingThreshold(threshold);

        Engine.getInstance().setRandomSeed((int) seed);
        OsteoNet net = new OsteoNet(network);
        try (Model model = Model.newInstance(name, device, "PyTorch")) {
            model.setBlock(net);
            DecoupledAdamW optimizer = DecoupledAdamW.builder()
                    .learningRate(new WarmupCosineTracker(learningRate, finalLearningRate, warmupEpochs * stepsPerEpoch,
                            epochs * stepsPerEpoch))
                    .weightDecay(weightDecay).build(net);
            MultiTaskLoss multiTask = new MultiTaskLoss(loss.weights());
            DefaultTrainingConfig config = new DefaultTrainingConfig(multiTask).optOptimizer(optimizer)
                    .optDevices(new Device[] {device}).optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(net.inputShapes(batch));
                if (pretrained != null) {
                    PretrainedBackbone.loadInto(pretrained, net.backbone(), model.getNDManager());
                }
                List<FineTuneEpoch> history = new ArrayList<>();
                int startEpoch = 0;
                double bestF1 = -1;
                int bestEpoch = 0;
                int sinceBest = 0;
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
                        bestF1 = state.get("bestF1").getAsDouble();
                        bestEpoch = state.get("bestEpoch").getAsInt();
                        sinceBest = state.get("sinceBest").getAsInt();
                        history.addAll(GSON.fromJson(state.get("history"), new TypeToken<List<FineTuneEpoch>>() {}.getType()));
                        LOG.info("Resuming fine-tuning from {} (epoch {} of {})", last.get(), startEpoch, epochs);
                    }
                }
                listener.started("finetune", (long) epochs * stepsPerEpoch);
                boolean stoppedEarly = false;
                for (int epoch = startEpoch; epoch < epochs; epoch++) {
                    if (sinceBest >= patience) {
                        stoppedEarly = true;
                        break;
                    }
                    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
                    int[] order = permutation(train.size(), random);
                    double lossSum = 0;
                    for (int s = 0; s < stepsPerEpoch; s++) {
                        int from = s * batch;
                        int to = from + batch;
                        optimizer.beginStep();
                        try (NDManager sub = model.getNDManager().newSubManager()) {
                            List<LabelledVertebra> items = new ArrayList<>(to - from);
                            for (int i = from; i < to; i++) items.add(train.get(order[i]));
                            NDList inputs = inputs(sub, items);
                            NDList labels = labels(sub, items, scaling);
                            double value;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList out = trainer.forward(inputs);
                                NDArray l = multiTask.evaluate(labels, out);
                                gc.backward(l);
                                value = l.toType(DataType.FLOAT64, false).getDouble();
                            }
                            trainer.step();
                            if (!Double.isFinite(value)) {
                                throw new OsteoException("fine-tuning loss became " + value + " at epoch " + (epoch + 1)
                                        + " (learning rate too high?)");
                            }
                            lossSum += value;
                        }
                        listener.progressed("finetune", (long) epoch * stepsPerEpoch + s + 1, (long) epochs * stepsPerEpoch,
                                String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch + 1, epochs, lossSum / (s + 1)));
                    }
                    double[] probabilities = probabilities(trainer, model.getNDManager(), validation, batch);
                    ScoredOutcomes outcomes = ScoredOutcomes.of(labelsOf(validation), probabilities);
                    ConfusionMatrix cm = outcomes.confusionAt(threshold);
                    double f1 = cm.f1().orElse(0); // defined: validation has positives
                    double auc = outcomes.auc().orElse(0.5);
                    boolean improved = f1 > bestF1;
                    if (improved) {
                        bestF1 = f1;
                        bestEpoch = epoch + 1;
                        sinceBest = 0;
                        OsteoModel.save(modelDirectory, model, descriptor.withProvenance(provenance(epoch + 1, f1, auc)));
                    } else {
                        sinceBest++;
                    }
                    FineTuneEpoch stats = new FineTuneEpoch(epoch + 1, lossSum / stepsPerEpoch, f1, auc,
                            optimizer.currentLearningRate(), improved);
                    history.add(stats);
                    LOG.info("Fine-tuning epoch {}: loss {}, validation F1 {}, AUC {}{}", epoch + 1, stats.trainLoss(), f1,
                            auc, improved ? " (selected)" : "");
                    if (checkpoints != null) {
                        JsonObject state = new JsonObject();
                        state.addProperty("fingerprint", fingerprint);
                        state.addProperty("bestF1", bestF1);
                        state.addProperty("bestEpoch", bestEpoch);
                        state.addProperty("sinceBest", sinceBest);
                        state.add("history", GSON.toJsonTree(history));
                        checkpoints.save(epoch + 1, net, optimizer, state);
                    }
                }
                writeHistory(modelDirectory, history);
                listener.finished("finetune", String.format(Locale.ROOT, "best epoch %d, validation F1 %.3f%s", bestEpoch,
                        bestF1, stoppedEarly ? " (stopped early)" : ""));
                return new FineTuneResult(modelDirectory, bestEpoch, bestF1, history, stoppedEarly);
            }
        }
    }

    private Provenance provenance(int epoch, double f1, double auc) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("loss", loss.label());
        details.put("decoder", network.decoder().kind().name());
        details.put("pretrained", String.valueOf(pretrained));
        details.put("epoch", String.valueOf(epoch));
        details.put("validationF1", String.format(Locale.ROOT, "%.4f", f1));
        details.put("validationAuc", String.format(Locale.ROOT, "%.4f", auc));
        details.put("learningRate", learningRate + " -> " + finalLearningRate + ", warm-up " + warmupEpochs + " of " + epochs + " epochs");
        details.put("weightDecay", String.valueOf(weightDecay));
        details.put("batchSize", String.valueOf(batchSize));
        return new Provenance(Instant.now().toString(), "osteo-train MultiTaskFineTuner", seed, null, details);
    }

    private static void writeHistory(Path modelDirectory, List<FineTuneEpoch> history) {
        try {
            Files.createDirectories(modelDirectory);
            Files.writeString(modelDirectory.resolve("training-history.json"), GSON.toJson(history), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write training history to " + modelDirectory + ": " + e.getMessage(), e);
        }
    }

    private void checkPatch(LabelledVertebra v, String set, int index) {
        int[] shape = v.patch().shape();
        List<Integer> expected = network.patchSize();
        boolean ok = shape.length == expected.size();
        for (int a = 0; ok && a < shape.length; a++) ok = shape[a] == expected.get(a);
        if (!ok) {
            throw new InvalidInputException(set + " vertebra " + index + " (patient " + v.patientId() + " " + v.level()
                    + ") has patch shape " + java.util.Arrays.toString(shape) + ", the network expects " + expected);
        }
    }

    private NDList inputs(NDManager manager, List<LabelledVertebra> items) {
        int voxels = items.get(0).patch().voxels();
        float[] image = new float[items.size() * voxels];
        int[] devices = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).patch().channels()[0], 0, image, i * voxels, voxels);
            devices[i] = items.get(i).device().embeddingIndex();
        }
        return new NDList(manager.create(image, network.imageShape(items.size())), manager.create(devices));
    }

    private static NDList labels(NDManager manager, List<LabelledVertebra> items, BmdScaling scaling) {
        int n = items.size();
        int[] cls = new int[n];
        float[] bmd = new float[n];
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = items.get(i).positive() ? 1 : 0;
            bmd[i] = (float) scaling.toTarget(items.get(i).bmdGcm2());
            pos[i] = items.get(i).level().classIndex();
        }
        return new NDList(manager.create(cls), manager.create(bmd), manager.create(pos));
    }

    private double[] probabilities(Trainer trainer, NDManager parent, List<LabelledVertebra> items, int batch) {
        double[] p = new double[items.size()];
        for (int from = 0; from < items.size(); from += batch) {
            int to = Math.min(items.size(), from + batch);
            try (NDManager sub = parent.newSubManager()) {
                NDList out = trainer.evaluate(inputs(sub, items.subList(from, to)));
                float[] probs = out.get(OsteoNet.CLASS_LOGITS).softmax(1).get(":, 1").toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < probs.length; i++) p[from + i] = probs[i];
            }
        }
        return p;
    }

    private static boolean[] labelsOf(List<LabelledVertebra> items) {
        boolean[] l = new boolean[items.size()];
        for (int i = 0; i < l.length; i++) l[i] = items.get(i).positive();
        return l;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Predicts test vertebrae with a packaged model through its DJL predictor (the same path the
     * screener uses) and returns them as a method run for the evaluator.
     */
    public static MethodRun predict(Path modelDirectory, List<LabelledVertebra> vertebrae, String method, long seed, Device device) {
        try (OsteoModel model = OsteoModel.load(modelDirectory, device);
                Predictor<VertebraPatch, io.osteo.model.packaging.VertebraPrediction> predictor = model.newPredictor()) {
            List<VertebraPatch> patches = vertebrae.stream().map(v -> new VertebraPatch(v.patch().channels()[0], v.device())).toList();
            List<io.osteo.model.packaging.VertebraPrediction> out = predictor.batchPredict(patches);
            List<VertebraPrediction> predictions = new ArrayList<>(out.size());
            for (int i = 0; i < out.size(); i++) {
                LabelledVertebra v = vertebrae.get(i);
                predictions.add(new VertebraPrediction(v.patientId(), v.site(), v.level(), v.device(), v.positive(),
                        Math.min(1, Math.max(0, out.get(i).probability())), OptionalDouble.of(out.get(i).bmdGcm2()),
                        OptionalDouble.of(v.bmdGcm2())));
            }
            return new MethodRun(method, seed, predictions);
        } catch (TranslateException e) {
            throw new OsteoException("prediction with model " + modelDirectory + " failed: " + e.getMessage(), e);
        }
    }

    /** Configures a {@link MultiTaskFineTuner}. Defaults: CPU-small network, MoE, unified loss, paper optimiser. */
    public static final class Builder {
        private OsteoNetConfig network = OsteoNetConfig.cpuSmall();
        private boolean moe = true;
        private LossChoice loss = LossChoice.UNIFIED;
        private Path pretrained;
        private int epochs = 20;
        private int batchSize = 32;
        private float learningRate = 1e-5f;
        private float finalLearningRate = 0f;
        private int warmupEpochs = 7;
        private float weightDecay = 0.1f;
        private int patience = Integer.MAX_VALUE;
        private double threshold = 0.5;
        private long seed = 1;
        private String name = "osteoscreen";
        private InputSpec inputSpec;
        private Path checkpointDirectory;
        private boolean resume;
        private Device device = Device.cpu();
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {}

        /** Architecture (input channels forced to 1; decoder kind from {@link #moe(boolean)}). */
        public Builder network(OsteoNetConfig value) {
            network = value;
            return this;
        }

        /** Device-aware MoE decoder (true, the paper) or one plain head without device input (false). */
        public Builder moe(boolean value) {
            moe = value;
            return this;
        }

        public Builder loss(LossChoice value) {
            loss = value;
            return this;
        }

        /** Start from a pretrained backbone directory ({@link PretrainedBackbone}); null = from scratch. */
        public Builder pretrainedBackbone(Path directory) {
            pretrained = directory;
            return this;
        }

        /**
         * The paper's optimiser: AdamW betas 0.9/0.999, weight decay 0.1, batch 32, lr 1e-5 with a
         * warm-up over 150/400 of the epochs then cosine decay to 0.
         */
        public Builder paperOptimizer() {
            batchSize = 32;
            learningRate = 1e-5f;
            finalLearningRate = 0f;
            weightDecay = 0.1f;
            warmupEpochs = (int) Math.floor(epochs * 150.0 / 400.0);
            return this;
        }

        public Builder epochs(int value) {
            if (value < 1) throw new InvalidInputException("fine-tuning epochs must be >= 1, got " + value);
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            if (value < 1) throw new InvalidInputException("batch size must be >= 1, got " + value);
            batchSize = value;
            return this;
        }

        /** Peak learning rate and the explicit final value of the cosine decay. */
        public Builder learningRate(float peak, float finalValue) {
            if (!(peak > 0) || !(finalValue >= 0) || finalValue > peak) {
                throw new InvalidInputException("learning rates must satisfy 0 <= final <= peak, peak > 0: " + peak + ", " + finalValue);
            }
            learningRate = peak;
            finalLearningRate = finalValue;
            return this;
        }

        public Builder warmupEpochs(int value) {
            if (value < 0) throw new InvalidInputException("warm-up epochs must be >= 0, got " + value);
            warmupEpochs = value;
            return this;
        }

        public Builder weightDecay(float value) {
            weightDecay = value;
            return this;
        }

        /** Stop after this many epochs without a better validation F1 (default: never). */
        public Builder patience(int value) {
            if (value < 1) throw new InvalidInputException("patience must be >= 1 epoch, got " + value);
            patience = value;
            return this;
        }

        /** Decision threshold on the probability, for validation F1 and the packaged model. */
        public Builder threshold(double value) {
            if (!(value > 0 && value < 1)) throw new InvalidInputException("threshold must be in (0, 1), got " + value);
            threshold = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Model name ([A-Za-z0-9_.-]), also the parameter file prefix. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** What the data pipeline did to the patches (spacing, HU window), written into the model descriptor. */
        public Builder inputSpec(InputSpec value) {
            inputSpec = value;
            return this;
        }

        public Builder checkpointDirectory(Path value) {
            checkpointDirectory = value;
            return this;
        }

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

        public MultiTaskFineTuner build() {
            if (warmupEpochs >= epochs) {
                throw new InvalidInputException("warm-up (" + warmupEpochs + " epochs) must be shorter than training (" + epochs + " epochs)");
            }
            if (resume && checkpointDirectory == null) {
                throw new InvalidInputException("resume needs a checkpoint directory");
            }
            if (inputSpec != null && inputSpec.channels() != 1) {
                throw new InvalidInputException("the fine-tuned network reads 1 channel (the CT); input spec says " + inputSpec.channels());
            }
            return new MultiTaskFineTuner(this);
        }
    }
}
