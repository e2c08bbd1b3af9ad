package io.osteo.train.pipeline;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.LinearProbe;
import io.osteo.train.eval.baseline.BaselineVertebra;
import io.osteo.train.eval.baseline.Baselines;
import io.osteo.train.eval.baseline.LatentTruth;
import io.osteo.train.eval.Evaluator;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.PredictionsCsv;
import io.osteo.train.eval.ReportWriter;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.train.envelope.TrainingEnvelopes;
import io.osteo.train.prepare.CohortPreparer;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.TpSwavPretrainer;
import io.osteo.train.pretrain.ViewMode;
import io.osteo.train.reproduce.GridRow;
import io.osteo.train.reproduce.ReproductionBudget;
import io.osteo.train.store.CohortStore;
import io.osteo.train.store.PatchLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training pipeline of OsteoScreen in one place: cohort -> texture-pool cache -> TP-SwAV /
 * SwAV pretraining -> multi-task fine-tuning -> packaged model -> predictions -> evaluation
 * tables and ROC curves. The quickstart, the reproduction runner and the command line's training
 * subcommands all call these steps, so a recipe or wiring change happens once.
 *
 * <p>Layout of the work directory: {@code cohort/} (a synthetic cohort, when generated here),
 * {@code cache/} (texture pools of every vertebra, physical units), and whatever output folders
 * the caller names. Every step reuses what an earlier run left (cohort, caches, checkpoints), so a
 * rerun continues. One training at a time (DJL's single gradient collector); not thread-safe.
 */
public final class TrainingPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingPipeline.class);
    /** Pretraining splits: the unlabelled pool and the training patients' vertebrae (never valid or test). */
    public static final Set<Split> PRETRAINING_SPLITS = Set.of(Split.PRETRAIN, Split.TRAIN);

    private final ReproductionBudget budget;
    private final Path work;
    private final Path cache;
    private final boolean resume;
    private final Device[] devices;
    private final int threads;
    private final TrainingRecipe recipe;
    private final ProgressListener progress;

    private TrainingPipeline(Builder b) {
        this.budget = b.budget;
        this.work = b.work;
        this.cache = b.cache;
        this.resume = b.resume;
        this.devices = b.devices.clone();
        this.threads = b.threads;
        this.recipe = b.recipe;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ReproductionBudget budget() {
        return budget;
    }

    public TrainingRecipe recipe() {
        return recipe;
    }

    public Path workDirectory() {
        return work;
    }

    /** Where patches and texture pools are cached. */
    public Path cacheDirectory() {
        return cache != null ? cache : work.resolve("cache");
    }

    /** The training devices. */
    public Device[] devices() {
        return devices.clone();
    }

    /** The first training device (inference and evaluation run there). */
    public Device device() {
        return devices[0];
    }

    /**
     * The synthetic cohort of {@code preset} at the budget's patch, in {@code <work>/cohort}; an
     * existing one there is reused.
     */
    public Manifest syntheticCohort(CohortPreset preset, double scale, long seed) {
        Path folder = work.resolve("cohort");
        Path csv = folder.resolve(SyntheticCohortGenerator.MANIFEST_FILE);
        if (Files.isRegularFile(csv)) {
            LOG.info("Reusing the cohort in {}", folder);
            return ManifestReader.read(csv);
        }
        return SyntheticCohortGenerator.builder().preset(preset).seed(seed).scale(scale)
                .patch(budget.patchSize(), budget.spacingMm()).threads(threads).progress(progress).build().write(folder);
    }

    /** The texture pool of the budget: the paper's four GLCM maps, raw values (normalised later with fixed statistics). */
    public TexturePool texturePool() {
        return TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(budget.textureKernelRadius())
                .binWidth(25).stride(budget.textureStride()).threads(1) // vertebrae run in parallel instead
                .normalization(Normalization.none()).fillValue(0f).build();
    }

    /**
     * The cohort's patches as trainer inputs, streamed from a compact on-disk {@link CohortStore}
     * in the cache directory (int16 HU, float16 texture maps): built on first use from every
     * labelled vertebra and the first {@code pretrainLimit} vertebrae of the pretraining pool (in
     * parallel, with progress), reused afterwards. Close the returned data to release the store.
     */
    public CohortData data(Manifest manifest) {
        List<ManifestEntry> used = new ArrayList<>(manifest.labelled());
        manifest.entries().stream().filter(e -> !e.isLabelled() && PRETRAINING_SPLITS.contains(e.split()))
                .limit(budget.pretrainLimit()).forEach(used::add);
        Manifest rows = new Manifest(manifest.file(), used);
        CohortStore store = CohortStore.builder().manifest(rows).directory(cacheDirectory()).texturePool(texturePool())
                .mapsOnAxialMidSliceOnly(budget.midSlice()).layout(budget.midSlice() ? PatchLayout.midSlice() : PatchLayout.volume())
                .threads(threads).progress(progress).build();
        try {
            LabelledData train = store.labelled(Split.TRAIN);
            if (train.size() == 0) {
                throw new InvalidInputException("cohort " + manifest.file() + " has no labelled train vertebrae");
            }
            LabelledData test = concat(store.labelled(Split.TEST), store.labelled(Split.EXTERNAL));
            List<Integer> shape = Arrays.stream(store.patchShape()).boxed().toList();
            return new CohortData(manifest, shape, java.util.Collections.nCopies(shape.size(), budget.spacingMm()), train,
                    store.labelled(Split.VALID), test, limit -> store.pretraining(PRETRAINING_SPLITS, limit), store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static LabelledData concat(LabelledData a, LabelledData b) {
        return new LabelledData() {
            @Override
            public int size() {
                return a.size() + b.size();
            }

            @Override
            public io.osteo.train.finetune.LabelledVertebra get(int index) {
                return index < a.size() ? a.get(index) : b.get(index - a.size());
            }
        };
    }

    /** The screening network of the budget for the cohort's patches. */
    public OsteoNetConfig network(CohortData data) {
        return new OsteoNetConfig(budget.backbone(), budget.decoder(), data.patchShape());
    }

    /**
     * What the packaged model records about its input: spacing, HU window, the store's integer HU
     * and, for 2D budgets, the mid-slice of the budget's cubic patch (the screener cuts the same grid).
     */
    public InputSpec inputSpec(CohortData data) {
        InputSpec spec = InputSpec.ofCohortPatches(data.spacingMm(), recipe.huWindow(), budget.patchSize());
        Path folder = data.manifest().file().toAbsolutePath().getParent();
        CohortPreparer.recordedPreprocessing(folder).ifPresent(p -> {
            if (!p.equals(new Preprocessing(data.patchShape(), spec))) {
                throw new InvalidInputException("cohort " + folder + " was prepared with " + p.toJson().replaceAll("\\s+", " ")
                        + " but budget '" + budget.name() + "' trains on " + data.patchShape() + " patches with " + spec
                        + ": prepare it with this budget's preprocessing, or train with the budget it was prepared for");
            }
        });
        return spec;
    }

    /** TP-SwAV ({@link ViewMode#TEXTURE_POOL}) or SwAV pretraining of the budget's backbone into {@code out}; resumes. */
    public PretrainedBackbone pretrain(CohortData data, ViewMode mode, long seed, Path out) {
        return pretrain(data, mode, seed, out, budget.pretrainEpochs());
    }

    /** The same with another epoch count. */
    public PretrainedBackbone pretrain(CohortData data, ViewMode mode, long seed, Path out, int epochs) {
        return TpSwavPretrainer.builder().backbone(budget.backbone()).swav(budget.swav()).patchSize(data.patchShape())
                .viewMode(mode).epochs(epochs).warmupEpochs(Math.min(budget.pretrainWarmupEpochs(), epochs - 1))
                .batchSize(budget.pretrainBatch()).learningRate(budget.pretrainLearningRate(), 0f).seed(seed)
                .augmentation(recipe.pretrainAugmentation()).huWindow(recipe.huWindow()).devices(devices)
                .checkpointDirectory(out.resolve("checkpoints")).resume(resume).progress(progress).build()
                .pretrain(data.pretraining(budget.pretrainLimit()), out);
    }

    /** Fine-tunes one grid row (loss, decoder) from a backbone (or scratch when null) into {@code out/model}; resumes. */
    public FineTuneResult finetune(CohortData data, GridRow row, Path backbone, long seed, Path out) {
        return finetune(data, row, backbone, seed, out, budget.finetuneEpochs(), "osteoscreen");
    }

    /** The same with another epoch count and model name. */
    public FineTuneResult finetune(CohortData data, GridRow row, Path backbone, long seed, Path out, int epochs, String name) {
        FineTuneResult result = MultiTaskFineTuner.builder().network(network(data)).decoder(row.decoder()).loss(row.loss())
                .pretrainedBackbone(backbone).epochs(epochs).warmupEpochs(Math.min(budget.finetuneWarmupEpochs(), epochs - 1))
                .batchSize(budget.finetuneBatch()).learningRate(budget.finetuneLearningRate(), 0f)
                .weightDecay(budget.finetuneWeightDecay()).seed(seed).name(name).inputSpec(inputSpec(data))
                .augmentation(recipe.fineTuneAugmentation()).selection(recipe.selection())
                .operatingThreshold(recipe.threshold()).patience(recipe.patience()).devices(devices)
                .checkpointDirectory(out.resolve("checkpoints")).resume(resume).progress(progress).build()
                .fit(data.train(), data.validation(), out.resolve("model"));
        // the envelope: a prepared cohort records its CTs' voxel sizes; synthetic patches are rendered at the patch spacing
        List<Double> spacing = List.of(budget.spacingMm(), budget.spacingMm());
        var source = CohortPreparer.sourceSpacing(data.manifest().file().toAbsolutePath().getParent());
        TrainingEnvelopes.record(result.modelDirectory(), data.train(), data.validation(),
                source.map(CohortPreparer.SourceSpacing::inPlaneMm).orElse(spacing),
                source.map(CohortPreparer.SourceSpacing::sliceMm).orElse(spacing), "cohort " + data.manifest().file(), devices[0]);
        return result;
    }

    /** Predictions of a packaged model on labelled vertebrae, as a method run. */
    public MethodRun predict(Path model, LabelledData vertebrae, String method, long seed) {
        return MultiTaskFineTuner.predict(model, vertebrae, method, seed, devices[0]);
    }

    /**
     * A run's decision threshold: the operating threshold its packaged model chose on validation.
     *
     * @param method method name
     * @param seed training seed of the run
     * @param threshold probability threshold
     */
    public record RunThreshold(String method, long seed, double threshold) {}

    /**
     * Evaluation of method runs on the cohort's internal test and external scopes, each run at its
     * own operating threshold where given (else 0.5: the baseline rows' scores are centred on their
     * validation cut-off).
     */
    public EvaluationReport evaluate(List<MethodRun> runs, CohortData data, List<RunThreshold> thresholds, String referenceMethod) {
        Evaluator.Builder evaluator = Evaluator.builder()
                .bootstrap(Bootstrap.builder().replicates(budget.bootstrapReplicates()).seed(20250923L).build());
        for (RunThreshold t : thresholds) evaluator.threshold(t.method(), t.seed(), t.threshold());
        if (referenceMethod != null) evaluator.referenceMethod(referenceMethod);
        Set<String> internal = data.sites(Split.TEST);
        Set<String> external = data.sites(Split.EXTERNAL);
        if (!internal.isEmpty()) evaluator.scope("internal test", internal);
        if (!external.isEmpty()) evaluator.scope("external test", external);
        return evaluator.build().evaluate(runs);
    }

    /**
     * The baseline rows on the same splits as the deep rows: mean trabecular HU (2D mid-slice and
     * 3D ROI), the L2 logistic regression on GLCM features + HU (2D and 3D; fitted on train, its
     * penalty chosen on validation) and, when the cohort folder has the generator's {@code
     * latent.csv}, the oracle. Reads the whole 3D patches and masks from the manifest's files.
     */
    public List<MethodRun> baselines(Manifest manifest) {
        Baselines.Builder b = Baselines.builder().threads(threads).progress(progress);
        Path latent = manifest.file().toAbsolutePath().resolveSibling(LatentTruth.FILE_NAME);
        if (Files.isRegularFile(latent)) {
            b.latentTruth(LatentTruth.read(latent));
        }
        return b.build().runs(baselineVertebrae(manifest, Split.TRAIN), baselineVertebrae(manifest, Split.VALID),
                baselineVertebrae(manifest, Split.TEST, Split.EXTERNAL));
    }

    private static List<BaselineVertebra> baselineVertebrae(Manifest manifest, Split... splits) {
        List<BaselineVertebra> out = new ArrayList<>();
        for (ManifestEntry e : manifest.split(splits)) {
            if (e.label() == null || e.bmd() == null) continue;
            Volume image = VolumeIo.readVolume(e.image()).requireFinite("CT patch " + e.image());
            boolean[] mask = null;
            if (e.mask() != null) {
                LabelMap labels = VolumeIo.readLabels(e.mask());
                VolumeIo.requireSameGrid(image, labels, e.image().toString(), e.mask().toString());
                mask = new boolean[labels.geometry().voxelCount()];
                for (int i = 0; i < mask.length; i++) mask[i] = labels.get(i) != 0;
            }
            out.add(new BaselineVertebra(e.patientId(), e.site(), e.level(), e.device(), e.label(), e.bmd(), image, mask));
        }
        return out;
    }

    /** Linear probe of a frozen encoder (a pretrained backbone directory, or random initialisation when null). */
    public LinearProbe.Result linearProbe(CohortData data, Path backbone, long seed) {
        return LinearProbe.run(backbone, budget.backbone(), seed, data.train(), data.validation(), recipe.huWindow(), devices[0]);
    }

    /** Tables (Markdown, CSV, JSON), ROC curves and the predictions of every run into {@code dir}. */
    public void writeResults(EvaluationReport report, List<MethodRun> runs, String title, Path dir) {
        ReportWriter.writeAll(report, title, dir);
        PredictionsCsv.write(runs, dir.resolve("predictions.csv"));
    }

    /** Configures a {@link TrainingPipeline}. Required: the work directory. */
    public static final class Builder {
        private ReproductionBudget budget = ReproductionBudget.cpu();
        private Path work;
        private Path cache;
        private boolean resume = true;
        private Device[] devices = {Device.cpu()};
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private TrainingRecipe recipe = TrainingRecipe.standard();
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        /** Network, patch, schedule and seeds (default {@link ReproductionBudget#cpu()}). */
        public Builder budget(ReproductionBudget value) {
            budget = value;
            return this;
        }

        /** Folder of the cohort and caches (reused on a rerun). */
        public Builder workDirectory(Path value) {
            work = value;
            return this;
        }

        /** Cache of patches and texture pools (default {@code <work>/cache}); share it between runs on one cohort. */
        public Builder cacheDirectory(Path value) {
            cache = value;
            return this;
        }

        /** Continue trainings from their checkpoints (default true); false starts them over. */
        public Builder resume(boolean value) {
            resume = value;
            return this;
        }

        /** Training devices (several: data-parallel). */
        public Builder devices(Device... value) {
            if (value == null || value.length == 0) throw new InvalidInputException("at least one device is needed");
            devices = value.clone();
            return this;
        }

        /** Worker threads of cohort generation and texture-pool computation (default: the processors). */
        public Builder threads(int value) {
            if (value < 1) throw new InvalidInputException("threads must be >= 1, got " + value);
            threads = value;
            return this;
        }

        /** The training recipe (default {@link TrainingRecipe#standard()}). */
        public Builder recipe(TrainingRecipe value) {
            recipe = value;
            return this;
        }

        public Builder progress(ProgressListener value) {
            progress = value == null ? ProgressListener.NONE : value;
            return this;
        }

        public TrainingPipeline build() {
            if (work == null) throw new InvalidInputException("the training pipeline needs a work directory");
            return new TrainingPipeline(this);
        }
    }
}
