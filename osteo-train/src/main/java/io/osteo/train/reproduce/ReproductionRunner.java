package io.osteo.train.reproduce;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.Normalization;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.dataset.ChannelCache;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.Evaluator;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.PredictionsCsv;
import io.osteo.train.eval.ReportWriter;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.PretrainingData;
import io.osteo.train.pretrain.PretrainingEpoch;
import io.osteo.train.pretrain.TpSwavPretrainer;
import io.osteo.train.pretrain.ViewMode;
import io.osteo.api.metrics.Bootstrap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the paper's grid ({@link GridRow#paperGrid()}) on the synthetic cohort under a {@link
 * ReproductionBudget}: generates the cohort (or reuses one in the work directory), computes and
 * caches the texture pools, pretrains SwAV (random crops) and TP-SwAV (texture pool) backbones
 * per seed, fine-tunes every row per seed, predicts the internal test and external vertebrae with
 * the packaged models and writes the tables (Markdown/CSV/JSON), ROC curves, the predictions and a
 * pretraining report (loss against ln K, code entropy) to {@code <work>/results}. Every training
 * checkpoints per epoch and resumes, so rerunning an interrupted reproduction continues where it
 * stopped. One training at a time (DJL's single gradient collector); not thread-safe.
 */
public final class ReproductionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReproductionRunner.class);
    /** CT window of the network input channel, HU. */
    public static final Normalization CT_WINDOW = Normalization.boneWindow();

    private final ReproductionBudget budget;
    private final Path work;
    private final long cohortSeed;
    private final List<GridRow> grid;
    private final Device device;
    private final ProgressListener listener;

    private ReproductionRunner(Builder b) {
        this.budget = b.budget;
        this.work = b.work;
        this.cohortSeed = b.cohortSeed;
        this.grid = List.copyOf(b.grid);
        this.device = b.device;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ReproductionResult run() {
        Manifest manifest = cohort();
        TexturePool pool = TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(budget.textureKernelRadius())
                .binWidth(25).stride(budget.textureStride()).threads(2)
                .normalization(io.osteo.radiomics.pool.Normalization.zScoreRoi()).fillValue(0f).build();
        ChannelCache cache = new ChannelCache(work.resolve("channel-cache"), new TexturePoolChannels(pool, CT_WINDOW, budget.midSlice()));
        CohortSamples samples = new CohortSamples(manifest, cache, budget.midSlice());
        List<LabelledVertebra> train = samples.labelled(Split.TRAIN);
        List<LabelledVertebra> valid = samples.labelled(Split.VALID);
        List<LabelledVertebra> test = new ArrayList<>(samples.labelled(Split.TEST));
        test.addAll(samples.labelled(Split.EXTERNAL));
        PretrainingData pretrainData = samples.pretraining(Set.of(Split.PRETRAIN, Split.TRAIN), budget.pretrainLimit());
        LOG.info("Reproduction '{}': {} pretraining, {} training, {} validation, {} test vertebrae", budget.name(),
                pretrainData.size(), train.size(), valid.size(), test.size());

        Set<ViewMode> modes = grid.stream().map(GridRow::pretraining).filter(m -> m != null)
                .collect(Collectors.toCollection(() -> java.util.EnumSet.noneOf(ViewMode.class)));
        long total = (long) budget.seeds().size() * (modes.size() + grid.size());
        long done = 0;
        listener.started("reproduce", total);
        List<MethodRun> runs = new ArrayList<>();
        List<PretrainedBackbone> pretrained = new ArrayList<>();
        for (long seed : budget.seeds()) {
            Path seedDir = work.resolve("runs").resolve("seed-" + seed);
            Map<ViewMode, Path> backbones = new EnumMap<>(ViewMode.class);
            for (ViewMode mode : modes) {
                Path out = seedDir.resolve("pretrain-" + mode.name().toLowerCase(Locale.ROOT));
                pretrained.add(TpSwavPretrainer.builder().backbone(budget.backbone()).swav(budget.swav())
                        .patchSize(budget.patchShape()).viewMode(mode).epochs(budget.pretrainEpochs())
                        .warmupEpochs(budget.pretrainWarmupEpochs()).batchSize(budget.pretrainBatch())
                        .learningRate(budget.pretrainLearningRate(), 0f).seed(seed).device(device)
                        .checkpointDirectory(out.resolve("checkpoints")).resume(true).build().pretrain(pretrainData, out));
                backbones.put(mode, out);
                listener.progressed("reproduce", ++done, total, "seed " + seed + " pretrained " + mode);
            }
            OsteoNetConfig network = new OsteoNetConfig(budget.backbone(), budget.decoder(), budget.patchShape());
            InputSpec input = new InputSpec(1, Collections.nCopies(budget.patchShape().size(), budget.spacingMm()), null, CT_WINDOW);
            for (GridRow row : grid) {
                Path rowDir = seedDir.resolve(fileName(row.name()));
                MultiTaskFineTuner tuner = MultiTaskFineTuner.builder().network(network).moe(row.moe()).loss(row.loss())
                        .pretrainedBackbone(row.pretraining() == null ? null : backbones.get(row.pretraining()))
                        .epochs(budget.finetuneEpochs()).warmupEpochs(budget.finetuneWarmupEpochs())
                        .batchSize(budget.finetuneBatch()).learningRate(budget.finetuneLearningRate(), 0f).seed(seed)
                        .name("osteoscreen").inputSpec(input).device(device)
                        .checkpointDirectory(rowDir.resolve("checkpoints")).resume(true).build();
                tuner.fit(train, valid, rowDir.resolve("model"));
                runs.add(MultiTaskFineTuner.predict(rowDir.resolve("model"), test, row.name(), seed, device));
                listener.progressed("reproduce", ++done, total, "seed " + seed + " " + row.name());
            }
        }
        Evaluator.Builder evaluator = Evaluator.builder()
                .bootstrap(Bootstrap.builder().replicates(budget.bootstrapReplicates()).seed(20250923L).build())
                .referenceMethod(grid.get(grid.size() - 1).name());
        Set<String> internal = sites(manifest, Split.TEST);
        Set<String> external = sites(manifest, Split.EXTERNAL);
        if (!internal.isEmpty()) evaluator.scope("internal test", internal);
        if (!external.isEmpty()) evaluator.scope("external test", external);
        EvaluationReport report = evaluator.build().evaluate(runs);
        Path results = work.resolve("results");
        ReportWriter.writeAll(report, "Results on the synthetic cohort (budget " + budget.name() + ", seeds "
                + budget.seeds() + ")", results);
        PredictionsCsv.write(runs, results.resolve("predictions.csv"));
        writePretrainingReport(results.resolve("pretraining.md"), pretrained);
        listener.finished("reproduce", "tables in " + results);
        return new ReproductionResult(report, results, pretrained);
    }

    private Manifest cohort() {
        Path folder = work.resolve("cohort");
        Path csv = folder.resolve(SyntheticCohortGenerator.MANIFEST_FILE);
        if (Files.isRegularFile(csv)) {
            LOG.info("Reusing the cohort in {}", folder);
            return ManifestReader.read(csv);
        }
        return SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(cohortSeed).scale(budget.cohortScale())
                .patch(budget.patchSize(), budget.spacingMm()).threads(2).progress(listener).build().write(folder);
    }

    private static Set<String> sites(Manifest manifest, Split split) {
        return manifest.entries().stream().filter(e -> e.split() == split && e.label() != null).map(ManifestEntry::site)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void writePretrainingReport(Path file, List<PretrainedBackbone> runs) {
        StringBuilder sb = new StringBuilder("# Pretraining report\n\nSwAV collapse shows as a loss stuck at ln K or an "
                + "assignment entropy near 0 (all vertebrae coded to one prototype).\n\n");
        for (PretrainedBackbone r : runs) {
            sb.append("## ").append(r.viewMode() == ViewMode.TEXTURE_POOL ? "TP-SwAV (texture pool)" : "SwAV (random crops)")
                    .append(", seed ").append(r.seed()).append(r.collapsed() ? " - COLLAPSE SUSPECTED" : "").append("\n\n");
            sb.append("| epoch | loss | ln K | assignment entropy | prototypes used | lr | collapsed | s |\n|---|---|---|---|---|---|---|---|\n");
            for (PretrainingEpoch e : r.history()) {
                sb.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f | %d | %.2e | %s | %.1f |%n", e.epoch(), e.meanLoss(),
                        e.lnK(), e.assignmentEntropy(), e.prototypesUsed(), e.learningRate(), e.collapsed() ? "yes" : "no",
                        e.seconds()));
            }
            sb.append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String fileName(String method) {
        return method.toLowerCase(Locale.ROOT).replace("+", "-plus-").replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Configures a {@link ReproductionRunner}. Required: the work directory. */
    public static final class Builder {
        private ReproductionBudget budget = ReproductionBudget.smoke();
        private Path work;
        private long cohortSeed = 2025;
        private List<GridRow> grid = GridRow.paperGrid();
        private Device device = Device.cpu();
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {}

        public Builder budget(ReproductionBudget value) {
            budget = value;
            return this;
        }

        /** Folder for the cohort, caches, checkpoints, models and results (reused on a rerun). */
        public Builder workDirectory(Path value) {
            work = value;
            return this;
        }

        public Builder cohortSeed(long value) {
            cohortSeed = value;
            return this;
        }

        /** Grid rows in table order; the last one is the reference of the t-tests. */
        public Builder grid(List<GridRow> value) {
            if (value == null || value.isEmpty()) throw new InvalidInputException("the grid needs at least one row");
            grid = value;
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

        public ReproductionRunner build() {
            if (work == null) throw new InvalidInputException("reproduction needs a work directory");
            return new ReproductionRunner(this);
        }
    }
}
