package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.pipeline.CohortData;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.ViewMode;
import io.osteo.train.reproduce.ReproductionBudget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;


/**
 * {@code osteo pretrain}: TP-SwAV (views from the texture pool) or plain SwAV (random crops)
 * pretraining of a backbone on the pretraining and training rows of a cohort; writes the backbone
 * directory that {@code finetune --pretrained} reads and prints the per-epoch statistics (loss
 * against ln K, prototype assignment entropy: SwAV collapse shows there) as JSON.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        header = "Pretrains a backbone with TP-SwAV or SwAV.",
        description = {"TP-SwAV (texture-pool views) or SwAV (random crops) pretraining on a cohort's unlabelled and "
                + "training vertebrae. Writes a backbone directory for 'finetune --pretrained'; JSON statistics on "
                + "stdout."},
        footer = {"", "Example:", "  osteo pretrain --data cohort --out tp-swav --epochs 6 --views texture-pool --device cpu"})
public final class PretrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST",
            description = "cohort manifest CSV, or the folder holding manifest.csv")
    private Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "backbone directory to write")
    private Path out;

    @Mixin
    private TrainingOptions training;

    @Option(names = "--epochs", description = "pretraining epochs (default: the budget's)")
    private Integer epochs;

    @Option(names = "--views", defaultValue = "texture-pool", paramLabel = "MODE",
            description = "texture-pool (TP-SwAV) or random-crop (plain SwAV); default ${DEFAULT-VALUE}")
    private String views;

    @Override
    public Integer call() {
        ViewMode mode = viewMode(views);
        Manifest manifest = CohortInputs.manifest(data);
        TrainingPipeline pipeline = training.pipeline(out, ConsoleProgressBar.on(spec.commandLine().getErr()));
        ReproductionBudget budget = pipeline.budget();
        try (CohortData cohort = pipeline.data(manifest)) {
            return run(cohort, pipeline, budget, mode);
        }
    }

    private int run(CohortData cohort, TrainingPipeline pipeline, ReproductionBudget budget, ViewMode mode) {
        long t0 = System.nanoTime();
        PretrainedBackbone result = pipeline.pretrain(cohort, mode, training.seed, out,
                epochs != null ? epochs : budget.pretrainEpochs());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backbone", out.toString());
        json.put("views", views(result.viewMode()));
        json.put("budget", budget.name());
        json.put("vertebrae", cohort.pretraining(budget.pretrainLimit()).size());
        json.put("patch", cohort.patchShape());
        json.put("device", CliSupport.deviceNames(pipeline));
        json.put("seed", training.seed);
        json.put("collapsed", result.collapsed());
        json.put("epochs", result.history());
        json.put("seconds", CliSupport.seconds(t0));
        CliSupport.printRoundedJson(spec.commandLine().getOut(), json);
        return 0;
    }

    static ViewMode viewMode(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "texture-pool" -> ViewMode.TEXTURE_POOL;
            case "random-crop" -> ViewMode.RANDOM_CROP;
            default -> throw new InvalidInputException("--views '" + text + "' is unknown (expected texture-pool or random-crop)");
        };
    }

    static String views(ViewMode mode) {
        return mode == ViewMode.TEXTURE_POOL ? "texture-pool" : "random-crop";
    }
}
