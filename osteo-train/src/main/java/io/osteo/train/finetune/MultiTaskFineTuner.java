package io.osteo.train.finetune;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.metrics.OperatingThreshold;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.model.loss.MultiTaskLoss;
import io.osteo.model.net.OsteoNet;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.optim.DecoupledAdamW;
import io.osteo.model.packaging.BmdScaling;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Provenance;
import io.osteo.model.packaging.VertebraPatch;
import io.osteo.train.augment.PatchTransform;
import io.osteo.train.engine.EngineSettings;
import io.osteo.train.engine.HostBatch;
import io.osteo.train.engine.TrainingEngine;
import io.osteo.train.engine.TrainingSchedule;
import io.osteo.train.engine.TrainingTask;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.claims.DeviceGateWeights;
import io.osteo.train.eval.VertebraPrediction;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.PretrainedBackbone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Fine-tunes the screening network {@link OsteoNet} on labelled vertebrae with the multi-task
 * loss of {@link LossChoice} (MoE, plain decoder, or plain decoder with the device embedding), from
 * scratch or from a TP-SwAV / SwAV backbone, on the {@link TrainingEngine}.
 *
 * <p>The recipe: patches arrive in physical units (channel 0 in HU); each training batch is
 * augmented ({@link PatchTransform}, e.g. flips, axial 90-degree rotations, small shifts and a
 * scanner-calibration-sized HU change) and then normalised with the {@link InputSpec}'s HU window,
 * the same numbers the screener computes. BMD targets are standardised on the training set (the
 * packaged model maps its output back to g/cm^2). After every epoch the validation set is scored
 * (no augmentation); the epoch with the best validation AUC (or loss, {@link ModelSelection}) is
 * written as a packaged model directory, with the operating threshold chosen on its validation
 * probabilities ({@link OperatingThreshold}, Youden's J by default). Training stops early after
 * {@code patience} epochs without improvement. Checkpoints after every epoch allow an exact resume.
 *
 * <p>Only one training per JVM at a time (DJL allows one gradient collector). Immutable; reuse
 * sequentially.
 */
public final class MultiTaskFineTuner {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final EngineSettings settings;
    private final OsteoNetConfig network;
    private final LossChoice loss;
    private final Path pretrained;
    private final int patience;
    private final ModelSelection selection;
    private final OperatingThreshold thresholdRule;
    private final PatchTransform augmentation;
    private final String name;
    private final InputSpec inputSpec;

    private MultiTaskFineTuner(Builder b) {
        this.settings = b.engineSettings();
        this.network = b.network.withDecoder(b.decoder.configure(b.network.decoder()));
        this.loss = b.loss;
        this.pretrained = b.pretrained;
        this.patience = b.patience;
        this.selection = b.selection;
        this.thresholdRule = b.thresholdRule;
        this.augmentation = b.augmentation;
        this.name = b.name;
        this.inputSpec = b.inputSpec;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The network actually trained (decoder per the builder's decoder choice). */
    public OsteoNetConfig network() {
        return network;
    }

    /** Trains on in-memory lists and writes the selected model to {@code modelDirectory}. */
    public FineTuneResult fit(List<LabelledVertebra> train, List<LabelledVertebra> validation, Path modelDirectory) {
        return fit(LabelledData.of(train), LabelledData.of(validation), modelDirectory);
    }

    /**
     * Trains and writes the selected model to {@code modelDirectory}.
     *
     * @throws InvalidInputException on empty data, patches that do not fit the network, or a
     *     validation set without both classes (AUC could not select a model)
     */
    public FineTuneResult fit(LabelledData train, LabelledData validation, Path modelDirectory) {
        if (train.size() < 2) {
            throw new InvalidInputException("fine-tuning needs at least 2 training vertebrae, got " + train.size());
        }
        boolean[] validLabels = new boolean[validation.size()];
        for (int i = 0; i < validLabels.length; i++) validLabels[i] = validation.get(i).positive();
        ScoredOutcomes check = ScoredOutcomes.of(validLabels, new double[validLabels.length]);
        if (!check.hasBothClasses()) {
            throw new InvalidInputException("the validation set needs positive and negative vertebrae to select a model; got "
                    + check.positives() + " positive, " + check.negatives() + " negative");
        }
        checkPatch(train.get(0), "training", 0);
        checkPatch(validation.get(0), "validation", 0);
        // one pass over the training data: with a store each get(i) reads and decodes a whole patch
        double[] bmd = new double[train.size()];
        for (int i = 0; i < bmd.length; i++) bmd[i] = train.get(i).bmdGcm2();
        double mean = 0;
        for (double b : bmd) mean += b;
        mean /= bmd.length;
        double ss = 0;
        for (double b : bmd) ss += Math.pow(b - mean, 2);
        double sd = Math.sqrt(ss / Math.max(1, bmd.length - 1));
        BmdScaling scaling = new BmdScaling(mean, sd > 1e-6 ? sd : 1.0);
        TrainingEngine engine = new TrainingEngine(settings, name);
        return engine.run(new Task(engine, train, validation, validLabels, scaling, modelDirectory));
    }

    private String fingerprint(int trainSize, int validSize) {
        return String.join("|", network.toString(), loss.name(), String.valueOf(pretrained), String.valueOf(patience),
                selection.name(), thresholdRule.toString(), augmentation.toString(), inputSpec.toString(),
                trainSize + "/" + validSize);
    }

    /** The engine task: batches, loss, validation and model selection of one fine-tuning run. */
    private final class Task implements TrainingTask<FineTuneResult> {
        private final TrainingEngine engine;
        private final LabelledData train;
        private final LabelledData validation;
        private final boolean[] validLabels;
        private final BmdScaling scaling;
        private final Path modelDirectory;
        private final OsteoNet net = new OsteoNet(network);
        private final MultiTaskLoss multiTask = new MultiTaskLoss(loss.weights());
        private final ModelDescriptor descriptor;
        private List<FineTuneEpoch> history = new ArrayList<>();
        private int bestEpoch;
        private double bestScore = Double.NEGATIVE_INFINITY;
        private double bestAuc = Double.NaN;
        private double bestLoss = Double.NaN;
        private double bestThreshold = Double.NaN;
        private int sinceBest;

        Task(TrainingEngine engine, LabelledData train, LabelledData validation, boolean[] validLabels, BmdScaling scaling,
                Path modelDirectory) {
            this.engine = engine;
            this.train = train;
            this.validation = validation;
            this.validLabels = validLabels;
            this.scaling = scaling;
            this.modelDirectory = modelDirectory;
            this.descriptor = ModelDescriptor.of(name, network, inputSpec, null).withBmdScaling(scaling);
        }

        @Override
        public String stage() {
            return "finetune";
        }

        @Override
        public String fingerprint() {
            return MultiTaskFineTuner.this.fingerprint(train.size(), validation.size());
        }

        @Override
        public int size() {
            return train.size();
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
            if (pretrained != null) {
                PretrainedBackbone.loadInto(pretrained, net.backbone(), model.getNDManager());
            }
        }

        @Override
        public HostBatch prepare(int[] items, SplittableRandom random) {
            List<LabelledVertebra> vertebrae = new ArrayList<>(items.length);
            for (int i : items) vertebrae.add(train.get(i));
            return batch(vertebrae, random);
        }

        private HostBatch batch(List<LabelledVertebra> items, SplittableRandom random) {
            int n = items.size();
            int channels = network.backbone().inChannels();
            Shape shape = network.imageShape(n);
            int perItem = (int) (shape.size() / n);
            float[] image = new float[n * perItem];
            int[] devices = new int[n];
            int[] cls = new int[n];
            float[] bmd = new float[n];
            int[] pos = new int[n];
            Normalization window = inputSpec.normalization();
            for (int i = 0; i < n; i++) {
                LabelledVertebra v = items.get(i);
                checkPatch(v, "training", i);
                PoolPatch p = random == null ? v.patch() : augmentation.apply(v.patch(), random);
                int voxels = p.voxels();
                for (int c = 0; c < channels; c++) {
                    float[] src = p.channels()[c];
                    int base = i * perItem + c * voxels;
                    for (int k = 0; k < voxels; k++) image[base + k] = window.apply(src[k]);
                }
                devices[i] = v.device().embeddingIndex();
                cls[i] = v.positive() ? 1 : 0;
                bmd[i] = (float) scaling.toTarget(v.bmdGcm2());
                pos[i] = v.level().classIndex();
            }
            return HostBatch.of(n, HostBatch.floats("image", image, shape.getShape()), HostBatch.ints("device", devices, n),
                    HostBatch.ints("class", cls, n), HostBatch.floats("bmd", bmd, n), HostBatch.ints("position", pos, n));
        }

        @Override
        public NDArray loss(Trainer trainer, NDList batch) {
            NDList out = trainer.forward(new NDList(batch.get(0), batch.get(1)));
            return multiTask.evaluate(new NDList(batch.get(2), batch.get(3), batch.get(4)), out);
        }

        @Override
        public EpochOutcome endEpoch(int epoch, double meanLoss, Model model, Trainer trainer, DecoupledAdamW optimizer) {
            double[] probabilities = new double[validation.size()];
            double lossSum = 0;
            int batch = Math.max(2, engine.batchSize(train.size()));
            for (int from = 0; from < validation.size(); from += batch) {
                int to = Math.min(validation.size(), from + batch);
                List<LabelledVertebra> items = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) items.add(validation.get(i));
                HostBatch host = batch(items, null);
                try (NDManager sub = model.getNDManager().newSubManager()) {
                    NDArray image = sub.create(host.get("image").floats(), new Shape(host.get("image").shape()));
                    NDArray device = sub.create(host.get("device").ints());
                    NDList out = trainer.evaluate(new NDList(image, device));
                    NDList labels = new NDList(sub.create(host.get("class").ints()), sub.create(host.get("bmd").floats()),
                            sub.create(host.get("position").ints()));
                    lossSum += multiTask.evaluate(labels, out).toType(DataType.FLOAT64, false).getDouble() * (to - from);
                    float[] probs = out.get(OsteoNet.CLASS_LOGITS).softmax(1).get(":, 1").toType(DataType.FLOAT32, false)
                            .toFloatArray();
                    for (int i = 0; i < probs.length; i++) probabilities[from + i] = probs[i];
                }
            }
            double validLoss = lossSum / validation.size();
            ScoredOutcomes outcomes = ScoredOutcomes.of(validLabels, probabilities);
            double auc = outcomes.auc().orElseThrow();
            double threshold = thresholdRule.choose(outcomes);
            double f1 = outcomes.confusionAt(threshold).f1().orElse(0);
            double score = selection == ModelSelection.AUC ? auc : -validLoss;
            boolean improved = Double.isFinite(score) && score > bestScore;
            if (improved) {
                bestScore = score;
                bestEpoch = epoch;
                bestAuc = auc;
                bestLoss = validLoss;
                bestThreshold = threshold;
                sinceBest = 0;
                OsteoModel.save(modelDirectory, model, descriptor.withOperatingThreshold(threshold)
                        .withProvenance(provenance(epoch, auc, validLoss, threshold)));
            } else {
                sinceBest++;
            }
            history.add(new FineTuneEpoch(epoch, meanLoss, validLoss, auc, threshold, f1, optimizer.currentLearningRate(),
                    improved));
            return new EpochOutcome(String.format(Locale.ROOT, "loss %.4f, validation loss %.4f, AUC %.4f, F1 %.3f at %.3f%s",
                    meanLoss, validLoss, auc, f1, threshold, improved ? " (selected)" : ""), sinceBest >= patience);
        }

        @Override
        public JsonObject state() {
            JsonObject s = new JsonObject();
            s.addProperty("bestEpoch", bestEpoch);
            s.addProperty("bestScore", bestScore);
            s.addProperty("bestAuc", bestAuc);
            s.addProperty("bestLoss", bestLoss);
            s.addProperty("bestThreshold", bestThreshold);
            s.addProperty("sinceBest", sinceBest);
            s.add("history", GSON.toJsonTree(history));
            return s;
        }

        @Override
        public void restore(JsonObject s) {
            bestEpoch = s.get("bestEpoch").getAsInt();
            bestScore = s.get("bestScore").getAsDouble();
            bestAuc = s.get("bestAuc").getAsDouble();
            bestLoss = s.get("bestLoss").getAsDouble();
            bestThreshold = s.get("bestThreshold").getAsDouble();
            sinceBest = s.get("sinceBest").getAsInt();
            history = new ArrayList<>(GSON.fromJson(s.get("history"), new TypeToken<List<FineTuneEpoch>>() {}.getType()));
        }

        @Override
        public FineTuneResult finish(Model model, Trainer trainer, boolean stoppedEarly) {
            writeHistory(modelDirectory, history);
            return new FineTuneResult(modelDirectory, bestEpoch, selection, bestAuc, bestLoss, bestThreshold, history,
                    stoppedEarly);
        }
    }

    private Provenance provenance(int epoch, double auc, double validLoss, double threshold) {
        TrainingSchedule s = settings.schedule();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("loss", loss.label());
        details.put("decoder", network.decoder().kind().name() + (network.decoder().deviceEmbedding() ? " + device embedding" : ""));
        details.put("pretrained", pretrained == null ? "none (random initialisation)" : pretrained.toString());
        details.put("epoch", String.valueOf(epoch));
        details.put("selection", "validation " + selection.name().toLowerCase(Locale.ROOT));
        details.put("validationAuc", String.format(Locale.ROOT, "%.4f", auc));
        details.put("validationLoss", String.format(Locale.ROOT, "%.4f", validLoss));
        details.put("operatingThreshold", String.format(Locale.ROOT, "%.4f (%s on validation)", threshold, thresholdRule));
        details.put("augmentation", augmentation.toString());
        details.put("schedule", s.fingerprint());
        return new Provenance(Instant.now().toString(), "osteo-train MultiTaskFineTuner", settings.seed(), null, details);
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
        boolean ok = shape.length == expected.size() && v.patch().channels().length >= network.backbone().inChannels();
        for (int a = 0; ok && a < shape.length; a++) ok = shape[a] == expected.get(a);
        if (!ok) {
            throw new InvalidInputException(set + " vertebra " + index + " (patient " + v.patientId() + " " + v.level()
                    + ") has patch shape " + Arrays.toString(shape) + " with " + v.patch().channels().length
                    + " channels; the network expects " + expected + " with " + network.backbone().inChannels());
        }
    }

    /**
     * Predicts vertebrae (patches in HU) with a packaged model through its DJL predictor, the same
     * path the screener uses, and returns them as a method run for the evaluator.
     */
    public static MethodRun predict(Path modelDirectory, LabelledData vertebrae, String method, long seed, Device device) {
        return predictWithGates(modelDirectory, vertebrae, method, seed, device).run();
    }

    /**
     * The predictions with each DXA device's mean gate weights (the MoE's expert mixture; one
     * weight 1.0 for plain decoders).
     *
     * @param run predictions as a method run
     * @param gates mean gate weights per device of the predicted vertebrae
     */
    public record Predictions(MethodRun run, List<DeviceGateWeights> gates) {}

    /** Predictions and per-device mean gate weights; see {@link #predict}. */
    public static Predictions predictWithGates(Path modelDirectory, LabelledData vertebrae, String method, long seed,
            Device device) {
        try (OsteoModel model = OsteoModel.load(modelDirectory, device);
                Predictor<VertebraPatch, io.osteo.model.packaging.VertebraPrediction> predictor = model.newPredictor()) {
            Normalization window = model.descriptor().input().normalization();
            List<VertebraPrediction> predictions = new ArrayList<>(vertebrae.size());
            Map<DxaDevice, List<double[]>> gates = new java.util.EnumMap<>(DxaDevice.class);
            int chunk = 64;
            for (int from = 0; from < vertebrae.size(); from += chunk) {
                int to = Math.min(vertebrae.size(), from + chunk);
                List<VertebraPatch> patches = new ArrayList<>(to - from);
                List<LabelledVertebra> items = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    LabelledVertebra v = vertebrae.get(i);
                    items.add(v);
                    float[] hu = v.patch().channels()[0];
                    float[] x = new float[hu.length];
                    for (int k = 0; k < x.length; k++) x[k] = window.apply(hu[k]);
                    patches.add(new VertebraPatch(x, v.device()));
                }
                List<io.osteo.model.packaging.VertebraPrediction> out = predictor.batchPredict(patches);
                for (int i = 0; i < items.size(); i++) {
                    LabelledVertebra v = items.get(i);
                    io.osteo.model.packaging.VertebraPrediction p = out.get(i);
                    predictions.add(new VertebraPrediction(v.patientId(), v.site(), v.level(), v.device(), v.positive(),
                            Math.min(1, Math.max(0, p.probability())), OptionalDouble.of(p.bmdGcm2()),
                            OptionalDouble.of(v.bmdGcm2())));
                    gates.computeIfAbsent(v.device(), d -> new ArrayList<>())
                            .add(p.gateWeights().stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
            List<DeviceGateWeights> means = new ArrayList<>();
            gates.forEach((d, list) -> means.add(DeviceGateWeights.mean(method, d, list)));
            return new Predictions(new MethodRun(method, seed, predictions), means);
        } catch (TranslateException e) {
            throw new OsteoException("prediction with model " + modelDirectory + " failed: " + e.getMessage(), e);
        }
    }

    /** Same, for an in-memory list. */
    public static MethodRun predict(Path modelDirectory, List<LabelledVertebra> vertebrae, String method, long seed, Device device) {
        return predict(modelDirectory, LabelledData.of(vertebrae), method, seed, device);
    }

    /**
     * Configures a {@link MultiTaskFineTuner}. Defaults: CPU-small network, MoE, unified loss, the
     * paper's optimiser over 20 epochs, validation-AUC selection, Youden threshold, no augmentation
     * unless set (the pipeline sets the recipe's), bone-window input at 0.8 mm.
     */
    public static final class Builder extends EngineSettings.Builder<Builder> {
        private OsteoNetConfig network = OsteoNetConfig.cpuSmall();
        private DecoderChoice decoder = DecoderChoice.MOE;
        private LossChoice loss = LossChoice.UNIFIED;
        private Path pretrained;
        private int patience = Integer.MAX_VALUE;
        private ModelSelection selection = ModelSelection.AUC;
        private OperatingThreshold thresholdRule = OperatingThreshold.youden();
        private PatchTransform augmentation = PatchTransform.IDENTITY;
        private String name = "osteoscreen";
        private InputSpec inputSpec;

        private Builder() {
            super(TrainingSchedule.paperFineTuning(20));
        }

        /** Architecture (decoder kind and device input from {@link #decoder(DecoderChoice)}). */
        public Builder network(OsteoNetConfig value) {
            network = value;
            return this;
        }

        /** Device-aware MoE decoder (true, the paper) or one plain head without device input (false). */
        public Builder moe(boolean value) {
            decoder = value ? DecoderChoice.MOE : DecoderChoice.PLAIN;
            return this;
        }

        /** The decoder: MoE (default), plain, or plain with the device embedding. */
        public Builder decoder(DecoderChoice value) {
            decoder = value;
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

        /** The paper's optimiser: AdamW 0.9/0.999, wd 0.1, batch 32, lr 1e-5, warm-up 150/400 of the epochs. */
        public Builder paperOptimizer() {
            return schedule(TrainingSchedule.paperFineTuning(schedule.epochs()));
        }

        /** Stop after this many epochs without a better validation figure (default: never). */
        public Builder patience(int value) {
            if (value < 1) throw new InvalidInputException("patience must be >= 1 epoch, got " + value);
            patience = value;
            return this;
        }

        /** What selects the packaged epoch (default validation AUC). */
        public Builder selection(ModelSelection value) {
            selection = value;
            return this;
        }

        /** How the operating threshold is chosen on validation (default Youden's J). */
        public Builder operatingThreshold(OperatingThreshold value) {
            thresholdRule = value;
            return this;
        }

        /** Random transform of training patches in physical units (default none). */
        public Builder augmentation(PatchTransform value) {
            augmentation = value == null ? PatchTransform.IDENTITY : value;
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

        public MultiTaskFineTuner build() {
            if (inputSpec == null) {
                throw new InvalidInputException("fine-tuning needs the input spec (patch spacing and HU window) the patches "
                        + "were cut with: the packaged model must reproduce it at screening time");
            }
            if (inputSpec.channels() != network.backbone().inChannels()) {
                throw new InvalidInputException("the input spec says " + inputSpec.channels() + " channels, the network reads "
                        + network.backbone().inChannels());
            }
            if (inputSpec.spacingMm().size() != network.patchSize().size()) {
                throw new InvalidInputException("input spacing " + inputSpec.spacingMm() + " does not match patch size "
                        + network.patchSize());
            }
            return new MultiTaskFineTuner(this);
        }
    }
}
