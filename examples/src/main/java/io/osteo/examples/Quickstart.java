package io.osteo.examples;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import io.osteo.cli.ConsoleProgressBar;
import io.osteo.model.device.DeviceSelection;
import io.osteo.train.eval.EvaluationLevel;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.Evaluator;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.MethodScores;
import io.osteo.train.eval.ReportWriter;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.pipeline.CohortData;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.ViewMode;
import io.osteo.train.reproduce.GridRow;
import io.osteo.train.reproduce.ReproductionBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The whole method on a laptop CPU in a few minutes: a synthetic multi-site cohort (small preset)
 * -> TP-SwAV pretraining on texture-pool views -> MoE multi-task fine-tuning (class + BMD +
 * position) -> evaluation tables and ROC curves on the internal test and external sites ->
 * screening of a real CT (TotalSegmentator label map) with the trained model.
 *
 * <pre>
 * Quickstart [OUTPUT_DIR]        (default osteo-output/; also: ./osteo quickstart)
 * </pre>
 *
 * <p>Network, patch (2D axial mid-slices of 32x32 at 0.8 mm) and optimiser settings are those of
 * the {@code cpu} reproduction budget, with fewer epochs. The model trained on synthetic data is a
 * demonstration of the pipeline, not a clinical model. Rerunning with the same folder reuses the
 * cohort and the cached texture pools.
 */
public final class Quickstart {

    /** Seed of the synthetic cohort and of the training runs. */
    public static final long SEED = 42;

    /**
     * How much the quickstart computes.
     *
     * @param cohortScale fraction of the paper's patient counts (the small preset: 0.04)
     * @param pretrainEpochs TP-SwAV epochs
     * @param pretrainLimit most vertebrae used for pretraining
     * @param finetuneEpochs fine-tuning epochs
     * @param bootstrapReplicates bootstrap replicates of the confidence intervals
     */
    public record Settings(double cohortScale, int pretrainEpochs, int pretrainLimit, int finetuneEpochs,
            int bootstrapReplicates) {
        /** The default: the sizes and epochs of the {@code cpu} budget, one TP-SwAV and one fine-tuning run. */
        public static Settings standard() {
            ReproductionBudget cpu = ReproductionBudget.cpu();
            return new Settings(cpu.cohortScale(), cpu.pretrainEpochs(), cpu.pretrainLimit(), cpu.finetuneEpochs(), 500);
        }

        /** The same with other epoch counts. */
        public Settings withEpochs(int pretrain, int finetune) {
            return new Settings(cohortScale, pretrain, pretrainLimit, finetune, bootstrapReplicates);
        }
    }

    /**
     * Where everything went.
     *
     * @param output the output folder
     * @param cohort the synthetic cohort's manifest
     * @param backbone the TP-SwAV backbone directory
     * @param model the packaged model directory (for {@code osteo screen --model})
     * @param tables the Markdown tables
     * @param rocPng the overall vertebra-level ROC curve
     * @param screeningReport the JSON screening report of the real CT
     * @param evaluation the evaluation
     * @param screening the screening report
     * @param seconds wall time
     */
    public record Summary(Path output, Path cohort, Path backbone, Path model, Path tables, Path rocPng,
            Path screeningReport, EvaluationReport evaluation, ScreeningReport screening, double seconds) {}

    private Quickstart() {}

    public static void main(String[] args) {
        Path output = Path.of(args.length > 0 ? args[0] : "osteo-output");
        Path shared = SharedData.totalSegmentatorFolder();
        PrintWriter out = new PrintWriter(System.out, true);
        Summary summary = run(output, shared.resolve("example_ct_sm.nii.gz"), shared.resolve("example_seg.nii.gz"),
                Settings.standard(), "auto", ConsoleProgressBar.stderr(), out);
        printSummary(summary, out);
    }

    /**
     * Runs the pipeline into {@code output}.
     *
     * @param ct real CT to screen at the end (HU)
     * @param seg its TotalSegmentator v2 label map
     * @param device compute device (auto, cpu, gpu0, ...)
     * @param progress progress of every stage
     * @param log one line per stage
     */
    public static Summary run(Path output, Path ct, Path seg, Settings settings, String device, ProgressListener progress,
            PrintWriter log) {
        for (Path p : List.of(ct, seg)) {
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputException("quickstart CT input " + p.toAbsolutePath() + ": no such file");
            }
        }
        long t0 = System.nanoTime();
        // network, patch, optimiser and recipe of the CPU budget, at the quickstart's sizes
        ReproductionBudget budget = ReproductionBudget.cpu().withSizes(settings.cohortScale(), settings.pretrainLimit(),
                settings.pretrainEpochs(), settings.finetuneEpochs(), settings.bootstrapReplicates());
        TrainingPipeline pipeline = TrainingPipeline.builder().budget(budget).workDirectory(output)
                .devices(DeviceSelection.select(device)).progress(progress).build();

        // 1. Synthetic multi-site cohort: 4 sites with different DXA devices and scanners, one held out.
        log.println("1/5 synthetic cohort -> " + output.resolve("cohort"));
        Manifest manifest = pipeline.syntheticCohort(budget.cohortPreset(), budget.cohortScale(), SEED);

        // 2. Texture pools (CT + GLCM autocorrelation, joint average, contrast, difference average), cached on disk.
        try (CohortData data = pipeline.data(manifest)) {
            return run(pipeline, budget, manifest, data, ct, seg, device, log, t0, output);
        }
    }

    private static Summary run(TrainingPipeline pipeline, ReproductionBudget budget, Manifest manifest, CohortData data, Path ct,
            Path seg, String device, PrintWriter log, long t0, Path output) {

        // 3. TP-SwAV: SwAV whose two views are two texture-pool channels of the same vertebra.
        log.println("2/5 TP-SwAV pretraining on " + data.pretraining(budget.pretrainLimit()).size() + " vertebrae ("
                + pipeline.device() + ")");
        Path backbone = output.resolve("tp-swav");
        PretrainedBackbone pretrained = pipeline.pretrain(data, ViewMode.TEXTURE_POOL, SEED, backbone);
        if (pretrained.collapsed()) {
            log.println("    warning: SwAV collapse suspected (see " + backbone.resolve(PretrainedBackbone.DESCRIPTOR) + ")");
        }

        // 4. Multi-task fine-tuning (1.0 class + 1.0 BMD + 0.5 position) with the device-aware MoE decoder.
        log.println("3/5 MoE multi-task fine-tuning on " + data.train().size() + " vertebrae (model selection on "
                + data.validation().size() + ")");
        GridRow full = GridRow.studyGrid().get(GridRow.studyGrid().size() - 1);
        FineTuneResult tuned = pipeline.finetune(data, full, backbone, SEED, output.resolve("finetune"),
                budget.finetuneEpochs(), "osteoscreen-quickstart");
        Path model = tuned.modelDirectory();

        // 5. Evaluation on the internal test sites and the external site: tables and ROC curves.
        log.println("4/5 evaluation on " + data.test().size() + " test vertebrae (internal + external site)");
        List<MethodRun> runs = List.of(pipeline.predict(model, data.test(), full.name(), SEED));
        EvaluationReport evaluation = pipeline.evaluate(runs, data,
                List.of(new TrainingPipeline.RunThreshold(full.name(), SEED, tuned.operatingThreshold())), null);
        Path results = output.resolve("results");
        pipeline.writeResults(evaluation, runs, "Quickstart: TP-SwAV + MoE multi-task on the synthetic cohort (seed " + SEED
                + ", best epoch " + tuned.bestEpoch() + ", threshold " + String.format(Locale.ROOT, "%.3f", tuned.operatingThreshold())
                + " chosen on validation)", results);

        // 6. Screening of a real CT with the model just trained.
        log.println("5/5 screening " + ct.getFileName() + " with " + model);
        ScreeningReport screening;
        try (OsteoScreener screener = OsteoScreener.builder().model(model).device(device)
                .reportDevice(DxaDevice.HOLOGIC).build()) {
            Study study = Study.of(ct.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", ""),
                    VolumeIo.readVolume(ct), VolumeIo.readLabels(seg), LabelScheme.totalSegmentatorV2());
            screening = screener.screen(study);
        }
        Path reportFile = output.resolve("screening-report.json");
        try {
            Files.writeString(reportFile, screening.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + reportFile, e);
        }
        return new Summary(output, manifest.file(), backbone, model, results.resolve("tables.md"),
                results.resolve("roc-overall-vertebra.png"), reportFile, evaluation, screening,
                (System.nanoTime() - t0) / 1e9);
    }

    /** A short summary: headline metrics, the screening result and where the files are. */
    public static void printSummary(Summary s, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "OsteoScreen quickstart finished in %.1f min (output: %s)%n", s.seconds() / 60,
                s.output().toAbsolutePath());
        String method = s.evaluation().methods().get(0);
        for (String scope : s.evaluation().scopes()) {
            if (!scope.equals(Evaluator.OVERALL) && !scope.endsWith("test")) continue;
            for (EvaluationLevel level : EvaluationLevel.values()) {
                MethodScores row = s.evaluation().row(method, scope, level);
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-9s n=%-4d", scope, level.label(),
                        row.units()));
                for (ClassificationMetric m : ReportWriter.TABLE_METRICS) {
                    sb.append(' ').append(m.label()).append(' ').append(row.metric(m).format(3));
                }
                out.println(sb);
            }
        }
        out.println("  screening of " + s.screening().studyId() + ": patient " + s.screening().patient().decision()
                + "; " + s.screening().vertebrae().size() + " vertebrae screened, " + s.screening().skipped().size() + " skipped");
        out.println("  cohort          " + s.cohort());
        out.println("  backbone        " + s.backbone());
        out.println("  model           " + s.model() + "   (osteo screen --model " + s.model() + " ...)");
        out.println("  tables          " + s.tables());
        out.println("  ROC curve       " + s.rocPng());
        out.println("  screening report " + s.screeningReport());
        out.println("  Synthetic-cohort models demonstrate the pipeline; they are not clinical models.");
        out.flush();
    }
}
