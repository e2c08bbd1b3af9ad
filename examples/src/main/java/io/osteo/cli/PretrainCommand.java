package io.osteo.cli;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.train.dataset.ChannelCache;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.pretrain.PretrainingData;
import io.osteo.train.pretrain.TpSwavPretrainer;
import io.osteo.train.pretrain.ViewMode;
import io.osteo.train.reproduce.CohortSamples;
import io.osteo.train.reproduce.ReproductionBudget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
        header = "TP-SwAV (texture-pool views) or SwAV (random crops) pretraining.",
        description = {"TP-SwAV (texture-pool views) or SwAV (random crops) pretraining on a cohort's unlabelled and",
            "training vertebrae. Writes a backbone directory for 'finetune --pretrained'; JSON statistics on stdout."},
        footer = {"", "Example:", "  osteo pretrain --data cohort --out tp-swav --epochs 6 --views texture-pool --device cpu"})
public final class PretrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST",
            description = "cohort manifest CSV, or the folder holding manifest.csv")
    private Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "backbone directory to write")
    private Path out;

    @Option(names = "--budget", defaultValue = "cpu", paramLabel = "NAME",
            description = "network size, optimiser and default epochs of a reproduction budget: smoke, cpu or paper;"
                    + " default ${DEFAULT-VALUE}")
    private String budgetName;

    @Option(names = "--epochs", description = "pretraining epochs (default: the budget's)")
    private Integer epochs;

    @Option(names = "--batch-size", description = "SwAV batch size (default: the budget's)")
    private Integer batchSize;

    @Option(names = "--views", defaultValue = "texture-pool", paramLabel = "MODE",
            description = "texture-pool (TP-SwAV) or random-crop (plain SwAV); default ${DEFAULT-VALUE}")
    private String views;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu0, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--seed", defaultValue = "1", description = "training seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--limit", description = "most vertebrae used (default: the budget's)")
    private Integer limit;

    @Option(names = "--cache", paramLabel = "DIR", description = "texture-pool cache (default: <out>/channel-cache)")
    private Path cache;

    @Option(names = "--resume", description = "continue from the last checkpoint in <out>/checkpoints")
    private boolean resume;

    @Override
    public Integer call() {
        ReproductionBudget budget = ReproductionBudget.parse(budgetName);
        ViewMode mode = viewMode(views);
        Device dev = CohortInputs.device(device);
        Manifest manifest = CohortInputs.manifest(data);
        ConsoleProgressBar bar = ConsoleProgressBar.on(spec.commandLine().getErr());
        int most = limit != null ? limit : budget.pretrainLimit();
        if (most < 2) {
            throw new InvalidInputException("--limit " + most + " is too small (SwAV needs at least 2 vertebrae)");
        }
        ChannelCache channels = CohortInputs.texturePoolCache(cache != null ? cache : out.resolve("channel-cache"), budget);
        List<ManifestEntry> rows = manifest.split(Split.PRETRAIN, Split.TRAIN).stream().limit(most).toList();
        ChannelPrefill.prefill(channels, rows, Runtime.getRuntime().availableProcessors(), "texture pools", bar);
        PretrainingData pretrainData = new CohortSamples(manifest, channels, budget.midSlice())
                .pretraining(Set.of(Split.PRETRAIN, Split.TRAIN), most);
        List<Integer> shape = CohortInputs.shape(pretrainData.get(0));
        int nEpochs = epochs != null ? epochs : budget.pretrainEpochs();
        long t0 = System.nanoTime();
        PretrainedBackbone result = TpSwavPretrainer.builder().backbone(budget.backbone()).swav(budget.swav())
                .patchSize(shape).viewMode(mode).epochs(nEpochs)
                .warmupEpochs(Math.min(budget.pretrainWarmupEpochs(), nEpochs - 1))
                .batchSize(batchSize != null ? batchSize : budget.pretrainBatch())
                .learningRate(budget.pretrainLearningRate(), 0f).seed(seed).device(dev)
                .checkpointDirectory(out.resolve("checkpoints")).resume(resume)
                .progress(bar).build().pretrain(pretrainData, out);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backbone", out.toString());
        json.put("views", views(result.viewMode()));
        json.put("budget", budget.name());
        json.put("vertebrae", pretrainData.size());
        json.put("patch", shape);
        json.put("device", dev.toString());
        json.put("seed", seed);
        json.put("collapsed", result.collapsed());
        json.put("epochs", result.history());
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        CliSupport.printJson(spec.commandLine().getOut(), json);
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
