package io.osteo.cli;

import com.google.gson.JsonParser;
import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.train.eval.ReportWriter;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.reproduce.ReproductionBudget;
import io.osteo.train.reproduce.ReproductionResult;
import io.osteo.train.reproduce.ReproductionRunner;
import java.nio.file.Path;
import io.osteo.model.device.DeviceSelection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo reproduce}: the ablation grid of the paper's Tables 2-5 (scratch, SwAV, TP-SwAV;
 * loss ablation; MoE) per seed under a budget, on a given cohort or on a synthetic cohort it
 * generates; tables, ROC curves, predictions and the pretraining report go to {@code
 * <out>/results}, the evaluation JSON to stdout. Interrupted runs resume from their checkpoints
 * when rerun with the same {@code --out}.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        header = "Runs the study grid and baselines; writes tables and claims.",
        description = {"Runs the study grid (the paper's Tables 2-5 plus a plain decoder with the device embedding) per seed "
                + "beside the baselines (mean HU, GLCM regression, oracle), and writes the tables, the claims table, ROC "
                + "curves, predictions and the pretraining report to <out>/results. A rerun with the same --out resumes."},
        footer = {"", "Budgets: smoke (seconds, tests), cpu (the quick demo, about 4 minutes on 2 cores), study (the "
                + "reproduction study, about 1.6 hours on 2 cores, resumable), paper (the paper's settings, GPU).",
            "", "Examples:", "  osteo reproduce --out repro --budget cpu", "  osteo reproduce --data cohort --out repro --budget cpu"})
public final class ReproduceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "MANIFEST",
            description = "cohort manifest CSV or folder (default: generate the synthetic cohort the budget specifies);"
                    + " its patches must have the budget's size")
    private Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "work folder: cohort/, cache/, runs/ (checkpoints, models), results/")
    private Path out;

    @Option(names = "--budget", defaultValue = "cpu", paramLabel = "NAME",
            description = "smoke (seconds; numbers meaningless), cpu (the quick demo), study (the reproduction study) or"
                    + " paper (GPU); default ${DEFAULT-VALUE}")
    private String budgetName;

    @Option(names = "--seeds", split = ",", description = "training seeds (default: the budget's)")
    private List<Long> seeds;

    @Option(names = "--cohort-seed", defaultValue = "2025", description = "seed of the generated cohort; default ${DEFAULT-VALUE}")
    private long cohortSeed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "auto, cpu, gpu0, ... or a list (gpu0,gpu1) for data-parallel training; default ${DEFAULT-VALUE}")
    private String device;

    @picocli.CommandLine.Mixin
    private RecipeOptions recipe = new RecipeOptions();

    @Override
    public Integer call() {
        ReproductionBudget budget = ReproductionBudget.parse(budgetName);
        if (seeds != null && !seeds.isEmpty()) {
            budget = budget.withSeeds(seeds);
        }
        ai.djl.Device[] devices = DeviceSelection.selectAll(device);
        ReproductionRunner.Builder runner = ReproductionRunner.builder().budget(budget).workDirectory(out).cohortSeed(cohortSeed)
                .devices(devices).recipe(recipe.recipe()).progress(ConsoleProgressBar.on(spec.commandLine().getErr()));
        if (data != null) {
            Manifest manifest = CohortInputs.manifest(data);
            checkPatchSize(manifest, budget);
            runner.cohort(manifest.file());
        }
        long t0 = System.nanoTime();
        ReproductionResult result = runner.build().run();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("budget", budget.name());
        json.put("seeds", budget.seeds());
        json.put("device", Arrays.stream(devices).map(CliSupport::deviceName).toList());
        json.put("results", result.resultsDirectory().toString());
        List<Map<String, Object>> pretraining = new ArrayList<>();
        for (PretrainedBackbone p : result.pretraining()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("views", PretrainCommand.views(p.viewMode()));
            m.put("seed", p.seed());
            m.put("finalLoss", p.history().isEmpty() ? null : p.history().get(p.history().size() - 1).meanLoss());
            m.put("lnK", p.history().isEmpty() ? null : p.history().get(p.history().size() - 1).lnK());
            m.put("collapsed", p.collapsed());
            pretraining.add(m);
        }
        json.put("pretraining", pretraining);
        json.put("evaluation", JsonParser.parseString(ReportWriter.json(result.report())));
        json.put("seconds", CliSupport.seconds(t0));
        CliSupport.printRoundedJson(spec.commandLine().getOut(), json);
        return 0;
    }

    /** The user's cohort must have the budget's patch size (the networks are built for it). */
    private static void checkPatchSize(Manifest manifest, ReproductionBudget budget) {
        if (manifest.entries().isEmpty()) {
            throw new InvalidInputException("--data " + manifest.file() + " has no rows");
        }
        ImageGeometry g = VolumeIo.readVolume(manifest.entries().get(0).image()).geometry();
        int p = budget.patchSize();
        if (g.nx() != p || g.ny() != p || g.nz() != p) {
            throw new InvalidInputException("--data " + manifest.file() + " has " + g.nx() + "x" + g.ny() + "x" + g.nz()
                    + " patches but budget '" + budget.name() + "' trains on " + p + "^3 (make the cohort with"
                    + " osteo synth --config {\"patch\": {\"size\": " + p + "}})");
        }
    }
}
