package io.osteo.cli;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.finetune.LossChoice;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.Split;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.reproduce.CohortSamples;
import io.osteo.train.reproduce.ReproductionBudget;
import io.osteo.train.reproduce.ReproductionRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo finetune}: multi-task (or single-task) fine-tuning with the MoE or a plain decoder,
 * from scratch or from a {@code pretrain} backbone, on a cohort's train split with model selection
 * on its valid split. Writes a packaged model ({@code <out>/model}, the directory {@code screen
 * --model} and {@code evaluate --model} read) and prints the training history as JSON.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        header = "Multi-task fine-tuning (class, BMD, position), with or without the MoE decoder.",
        description = {"Multi-task fine-tuning (class, BMD, vertebra position) with or without the device-aware MoE,",
            "from scratch or from a pretrained backbone. Writes the packaged model to <out>/model; JSON on stdout."},
        footer = {"", "Example:",
            "  osteo finetune --data cohort --pretrained tp-swav --out model-run --loss unified --moe --device cpu"})
public final class FinetuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST",
            description = "cohort manifest CSV, or the folder holding manifest.csv")
    private Path data;

    @Option(names = "--pretrained", paramLabel = "DIR", description = "backbone directory from 'pretrain' (default: from scratch)")
    private Path pretrained;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "output folder: model/ (packaged model), checkpoints/, channel-cache/")
    private Path out;

    @Option(names = "--loss", defaultValue = "unified", paramLabel = "LOSS",
            description = "class, class+bmd, class+position or unified (1.0 class + 1.0 BMD + 0.5 position);"
                    + " default ${DEFAULT-VALUE}")
    private String loss;

    @Option(names = "--moe", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "device-aware mixture-of-experts decoder (--no-moe: one plain head); default on")
    private boolean moe;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu0, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--budget", defaultValue = "cpu", paramLabel = "NAME",
            description = "network size, optimiser and default epochs of a reproduction budget: smoke, cpu or paper;"
                    + " default ${DEFAULT-VALUE}")
    private String budgetName;

    @Option(names = "--epochs", description = "fine-tuning epochs (default: the budget's)")
    private Integer epochs;

    @Option(names = "--batch-size", description = "batch size (default: the budget's)")
    private Integer batchSize;

    @Option(names = "--patience", description = "stop after this many epochs without a better validation F1")
    private Integer patience;

    @Option(names = "--seed", defaultValue = "1", description = "training seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--cache", paramLabel = "DIR", description = "channel cache (default: <out>/channel-cache)")
    private Path cache;

    @Option(names = "--resume", description = "continue from the last checkpoint in <out>/checkpoints")
    private boolean resume;

    @Override
    public Integer call() {
        ReproductionBudget budget = ReproductionBudget.parse(budgetName);
        LossChoice lossChoice = lossChoice(loss);
        Device dev = CohortInputs.device(device);
        BackboneConfig backbone = pretrained == null ? budget.backbone() : PretrainedBackbone.read(pretrained).backbone();
        Manifest manifest = CohortInputs.manifest(data);
        boolean midSlice = backbone.spatialDims() == 2;
        CohortSamples samples = CohortInputs.ctSamples(manifest, cache != null ? cache : out.resolve("channel-cache"), midSlice);
        List<LabelledVertebra> train = samples.labelled(Split.TRAIN);
        List<LabelledVertebra> valid = samples.labelled(Split.VALID);
        if (train.isEmpty() || valid.isEmpty()) {
            throw new InvalidInputException("--data " + manifest.file() + ": fine-tuning needs labelled train and valid rows, found "
                    + train.size() + " train and " + valid.size() + " valid");
        }
        List<Integer> shape = CohortInputs.shape(train.get(0).patch());
        OsteoNetConfig network = new OsteoNetConfig(backbone, budget.decoder(), shape);
        InputSpec input = new InputSpec(1, CohortInputs.spacing(manifest, shape.size()), null, ReproductionRunner.CT_WINDOW);
        int nEpochs = epochs != null ? epochs : budget.finetuneEpochs();
        MultiTaskFineTuner.Builder builder = MultiTaskFineTuner.builder().network(network).moe(moe).loss(lossChoice)
                .pretrainedBackbone(pretrained).epochs(nEpochs)
                .warmupEpochs(Math.min(budget.finetuneWarmupEpochs(), nEpochs - 1))
                .batchSize(batchSize != null ? batchSize : budget.finetuneBatch())
                .learningRate(budget.finetuneLearningRate(), 0f).seed(seed).name("osteoscreen").inputSpec(input)
                .device(dev).checkpointDirectory(out.resolve("checkpoints")).resume(resume)
                .progress(ConsoleProgressBar.on(spec.commandLine().getErr()));
        if (patience != null) {
            builder.patience(patience);
        }
        long t0 = System.nanoTime();
        FineTuneResult result = builder.build().fit(train, valid, out.resolve("model"));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", result.modelDirectory().toString());
        json.put("loss", lossChoice.label());
        json.put("moe", moe);
        json.put("pretrained", pretrained == null ? null : pretrained.toString());
        json.put("budget", budget.name());
        json.put("device", dev.toString());
        json.put("seed", seed);
        json.put("train", train.size());
        json.put("valid", valid.size());
        json.put("patch", shape);
        json.put("bestEpoch", result.bestEpoch());
        json.put("bestValidationF1", result.bestValidationF1());
        json.put("stoppedEarly", result.stoppedEarly());
        json.put("epochs", result.history());
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        CliSupport.printJson(spec.commandLine().getOut(), json);
        return 0;
    }

    static LossChoice lossChoice(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "class" -> LossChoice.CLASS;
            case "class+bmd" -> LossChoice.CLASS_BMD;
            case "class+position" -> LossChoice.CLASS_POSITION;
            case "unified" -> LossChoice.UNIFIED;
            default -> throw new InvalidInputException("--loss '" + text
                    + "' is unknown (expected class, class+bmd, class+position or unified)");
        };
    }
}
