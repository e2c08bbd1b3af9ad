package io.osteo.train.reproduce;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.LinearProbe;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.claims.Claim;
import io.osteo.train.eval.claims.ClaimsAnalysis;
import io.osteo.train.eval.claims.ClaimsReport;
import io.osteo.train.eval.claims.ClaimsWriter;
import io.osteo.train.eval.claims.DeviceGateWeights;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.pipeline.CohortData;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.pipeline.TrainingRecipe;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.PretrainingEpoch;
import io.osteo.train.pretrain.ViewMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the experiment grid ({@link GridRow#studyGrid()} by default) on the synthetic cohort under
 * a {@link ReproductionBudget}, through the {@link TrainingPipeline}: generates the cohort (or
 * reuses one in the work directory), caches the texture pools, pretrains SwAV (random crops) and
 * TP-SwAV (texture pool) backbones per seed, fine-tunes every row per seed, predicts the internal
 * test and external vertebrae with the packaged models and writes the tables (Markdown/CSV/JSON),
 * ROC curves, the predictions and a pretraining report (loss against ln K, code entropy) to {@code
 * <work>/results}. Every training checkpoints per epoch and resumes, so rerunning an interrupted
 * reproduction continues where it stopped. One training at a time (DJL's single gradient
 * collector); not thread-safe.
 */
public final class ReproductionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReproductionRunner.class);

    private final ReproductionBudget budget;
    private final Path work;
    private final long cohortSeed;
    private final Path cohortManifest;
    private final List<GridRow> grid;
    private final TrainingPipeline pipeline;
    private final ProgressListener listener;

    private ReproductionRunner(Builder b) {
        this.budget = b.budget;
        this.work = b.work;
        this.cohortSeed = b.cohortSeed;
        this.cohortManifest = b.cohortManifest;
        this.grid = List.copyOf(b.grid);
        this.listener = b.listener;
        this.pipeline = TrainingPipeline.builder().budget(budget).workDirectory(work).devices(b.devices).recipe(b.recipe)
                .progress(b.listener).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public ReproductionResult run() {
        Manifest manifest = cohortManifest != null ? ManifestReader.read(cohortManifest)
                : pipeline.syntheticCohort(budget.cohortPreset(), budget.cohortScale(), cohortSeed);
        try (CohortData data = pipeline.data(manifest)) {
            return run(data);
        }
    }

    private ReproductionResult run(CohortData data) {
        long started = System.nanoTime();
        LOG.info("Reproduction '{}': {} training, {} validation, {} test vertebrae", budget.name(), data.train().size(),
                data.validation().size(), data.test().size());

        Set<ViewMode> modes = grid.stream().map(GridRow::pretraining).filter(m -> m != null)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ViewMode.class)));
        long total = (long) budget.seeds().size() * (modes.size() + grid.size());
        long done = 0;
        listener.started("reproduce", total);
        List<MethodRun> runs = new ArrayList<>();
        List<PretrainedBackbone> pretrained = new ArrayList<>();
        List<DeviceGateWeights> gates = new ArrayList<>();
        List<LinearProbe.Result> probes = new ArrayList<>();
        List<TrainingPipeline.RunThreshold> thresholds = new ArrayList<>();
        for (long seed : budget.seeds()) {
            Path seedDir = work.resolve("runs").resolve("seed-" + seed);
            Map<ViewMode, Path> backbones = new EnumMap<>(ViewMode.class);
            for (ViewMode mode : modes) {
                Path out = seedDir.resolve("pretrain-" + mode.name().toLowerCase(Locale.ROOT));
                pretrained.add(pipeline.pretrain(data, mode, seed, out));
                backbones.put(mode, out);
                probes.add(pipeline.linearProbe(data, out, seed));
                listener.progressed("reproduce", ++done, total, "seed " + seed + " pretrained " + mode);
            }
            probes.add(pipeline.linearProbe(data, null, seed));
            for (GridRow row : grid) {
                Path rowDir = seedDir.resolve(fileName(row.name()));
                FineTuneResult tuned = pipeline.finetune(data, row, row.pretraining() == null ? null
                        : backbones.get(row.pretraining()), seed, rowDir);
                thresholds.add(new TrainingPipeline.RunThreshold(row.name(), seed, tuned.operatingThreshold()));
                MultiTaskFineTuner.Predictions p = MultiTaskFineTuner.predictWithGates(rowDir.resolve("model"), data.test(),
                        row.name(), seed, pipeline.device());
                runs.add(p.run());
                gates.addAll(p.gates());
                listener.progressed("reproduce", ++done, total, "seed " + seed + " " + row.name());
            }
        }
        List<MethodRun> all = new ArrayList<>(pipeline.baselines(data.manifest()));
        all.addAll(runs);
        EvaluationReport report = pipeline.evaluate(all, data, thresholds, grid.get(grid.size() - 1).name());
        Path results = work.resolve("results");
        pipeline.writeResults(report, all, "Results on the synthetic cohort (budget " + budget.name() + ", seeds "
                + budget.seeds() + "; every row at its own validation-chosen operating threshold; baselines fitted on the same"
                + " train/validation split)", results);
        ClaimsReport claims = claims(runs, gates, data);
        if (claims != null) {
            ClaimsWriter.writeAll(claims, results);
        }
        writePretrainingReport(results.resolve("pretraining.md"), pretrained, probes);
        writeRunReport(results.resolve("run.md"), data, (System.nanoTime() - started) / 1e9);
        listener.finished("reproduce", "tables in " + results);
        return new ReproductionResult(report, results, pretrained, claims, probes);
    }

    /** The claims table when the grid has every row the four claims compare; null otherwise. */
    private ClaimsReport claims(List<MethodRun> runs, List<DeviceGateWeights> gates, CohortData data) {
        Map<String, GridRow> byName = new java.util.HashMap<>();
        for (GridRow r : grid) byName.put(r.name(), r);
        List<GridRow> study = GridRow.studyGrid();
        if (!study.stream().allMatch(r -> byName.containsKey(r.name()))) {
            LOG.info("The grid lacks rows of the study grid: no claims table");
            return null;
        }
        List<Claim> claims = Claim.paperClaims(study.get(0).name(), study.get(1).name(), study.get(2).name(), study.get(5).name(),
                study.get(6).name(), study.get(7).name());
        ClaimsAnalysis.Builder analysis = ClaimsAnalysis.builder()
                .bootstrap(io.osteo.api.metrics.Bootstrap.builder().replicates(budget.bootstrapReplicates()).seed(20250923L).build())
                .gateWeights(gates);
        Set<String> internal = data.sites(io.osteo.train.manifest.Split.TEST);
        Set<String> external = data.sites(io.osteo.train.manifest.Split.EXTERNAL);
        if (!internal.isEmpty()) analysis.scope("internal test", internal);
        if (!external.isEmpty()) analysis.scope("external test", external);
        return analysis.build().analyse(runs, claims);
    }

    private static void writePretrainingReport(Path file, List<PretrainedBackbone> runs, List<LinearProbe.Result> probes) {
        StringBuilder sb = new StringBuilder("# Pretraining report\n\nSwAV collapse shows as a loss stuck at ln K or an "
                + "assignment entropy near 0 (all vertebrae coded to one prototype).\n\n");
        sb.append("## Linear probes of the frozen encoders\n\nL2 logistic regression (lambda ").append(LinearProbe.LAMBDA)
                .append(") on the pooled features of each frozen encoder, fitted on the train split, AUC on the validation split;"
                        + " 'random init' is the same architecture untrained (the scratch rows' starting point).\n\n")
                .append(LinearProbe.markdown(probes)).append('\n');
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
        writeText(file, sb);
    }

    /**
     * What produced the results: budget, recipe, cohort, devices and the wall time of this call
     * (a resumed run counts only the time of the call that finished it).
     */
    private void writeRunReport(Path file, CohortData data, double seconds) {
        StringBuilder sb = new StringBuilder("# Run\n\n");
        sb.append("- budget: ").append(budget.name()).append(" (").append(budget).append(")\n");
        sb.append("- recipe: ").append(pipeline.recipe().describe()).append('\n');
        sb.append("- cohort: ").append(cohortManifest != null ? "manifest " + cohortManifest : "synthetic, preset "
                + budget.cohortPreset() + ", scale " + budget.cohortScale() + ", cohort seed " + cohortSeed).append(String.format(
                Locale.ROOT, "; %d training, %d validation, %d test vertebrae%n", data.train().size(), data.validation().size(),
                data.test().size()));
        sb.append("- grid: ").append(grid.stream().map(GridRow::name).collect(Collectors.joining(", "))).append('\n');
        sb.append("- devices: ").append(java.util.Arrays.toString(pipeline.devices())).append('\n');
        sb.append(String.format(Locale.ROOT, "- wall time of the call that wrote these results: %.0f s (%.1f min)%n", seconds,
                seconds / 60));
        writeText(file, sb);
    }

    private static void writeText(Path file, CharSequence text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
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
        private Path cohortManifest;
        private List<GridRow> grid = GridRow.studyGrid();
        private Device[] devices = {Device.cpu()};
        private TrainingRecipe recipe = TrainingRecipe.standard();
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

        /** Seed of the synthetic cohort (ignored with {@link #cohort(Path)}). */
        public Builder cohortSeed(long value) {
            cohortSeed = value;
            return this;
        }

        /** An existing cohort's manifest instead of a generated synthetic one. */
        public Builder cohort(Path manifest) {
            cohortManifest = manifest;
            return this;
        }

        /** Grid rows in table order; the last one is the reference of the t-tests. */
        public Builder grid(List<GridRow> value) {
            if (value == null || value.isEmpty()) throw new InvalidInputException("the grid needs at least one row");
            grid = value;
            return this;
        }

        public Builder device(Device value) {
            return devices(value);
        }

        /** Training devices (several: data-parallel). */
        public Builder devices(Device... value) {
            if (value == null || value.length == 0) throw new InvalidInputException("at least one device is needed");
            devices = value.clone();
            return this;
        }

        /** The training recipe (default {@link TrainingRecipe#standard()}). */
        public Builder recipe(TrainingRecipe value) {
            recipe = value;
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
