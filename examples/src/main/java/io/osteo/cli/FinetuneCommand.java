package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.train.finetune.DecoderChoice;
import io.osteo.train.finetune.FineTuneResult;
import io.osteo.train.finetune.LossChoice;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.pipeline.CohortData;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.pretrain.PretrainedBackbone;
import io.osteo.train.reproduce.GridRow;
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
 * {@code osteo finetune}: multi-task (or single-task) fine-tuning with the MoE or a plain decoder,
 * from scratch or from a {@code pretrain} backbone, on a cohort's train split with model selection
 * on its valid split. Writes a packaged model ({@code <out>/model}, the directory {@code screen
 * --model} and {@code evaluate --model} read) and prints the training history as JSON.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        header = "Fine-tunes a multi-task screening model (MoE or plain).",
        description = {"Multi-task fine-tuning (class, BMD, vertebra position) with or without the device-aware MoE, from "
                + "scratch or from a pretrained backbone. Writes the packaged model to <out>/model; JSON on stdout."},
        footer = {"", "Example:",
            "  osteo finetune --data cohort --pretrained tp-swav --out model-run --loss unified --decoder moe --device cpu"})
public final class FinetuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST",
            description = "cohort manifest CSV, or the folder holding manifest.csv")
    private Path data;

    @Option(names = "--pretrained", paramLabel = "DIR", description = "backbone directory from 'pretrain' (default: from scratch)")
    private Path pretrained;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "output folder: model/ (packaged model), checkpoints/, cache/")
    private Path out;

    @Mixin
    private TrainingOptions training;

    @Option(names = "--loss", defaultValue = "unified", paramLabel = "LOSS",
            description = "class, class+bmd, class+position or unified (1.0 class + 1.0 BMD + 0.5 position);"
                    + " default ${DEFAULT-VALUE}")
    private String loss;

    @Option(names = "--decoder", defaultValue = "moe", paramLabel = "KIND",
            description = "moe (device-gated experts, the paper), plain (device-blind) or plain+device (plain head on"
                    + " image + device embedding); default ${DEFAULT-VALUE}")
    private String decoder;

    @Option(names = "--epochs", description = "fine-tuning epochs (default: the budget's)")
    private Integer epochs;

    @Override
    public Integer call() {
        LossChoice lossChoice = lossChoice(loss);
        DecoderChoice decoderChoice = decoderChoice(decoder);
        Manifest manifest = CohortInputs.manifest(data);
        TrainingPipeline pipeline = training.pipeline(out, ConsoleProgressBar.on(spec.commandLine().getErr()));
        ReproductionBudget budget = pipeline.budget();
        if (pretrained != null && !PretrainedBackbone.read(pretrained).backbone().equals(budget.backbone().withInChannels(1))) {
            throw new InvalidInputException("--pretrained " + pretrained + " holds another backbone than budget '" + budget.name()
                    + "' trains; pass the --budget it was pretrained with");
        }
        try (CohortData cohort = pipeline.data(manifest)) {
            return run(cohort, pipeline, budget, lossChoice, decoderChoice);
        }
    }

    private int run(CohortData cohort, TrainingPipeline pipeline, ReproductionBudget budget, LossChoice lossChoice,
            DecoderChoice decoderChoice) {
        long t0 = System.nanoTime();
        GridRow row = new GridRow("finetune", pretrained == null ? null : PretrainedBackbone.read(pretrained).viewMode(),
                lossChoice, decoderChoice);
        FineTuneResult result = pipeline.finetune(cohort, row, pretrained, training.seed, out,
                epochs != null ? epochs : budget.finetuneEpochs(), "osteoscreen");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", result.modelDirectory().toString());
        json.put("loss", lossChoice.label());
        json.put("decoder", decoderChoice.label());
        json.put("pretrained", pretrained == null ? null : pretrained.toString());
        json.put("budget", budget.name());
        json.put("device", CliSupport.deviceNames(pipeline));
        json.put("seed", training.seed);
        json.put("train", cohort.train().size());
        json.put("valid", cohort.validation().size());
        json.put("patch", cohort.patchShape());
        json.put("bestEpoch", result.bestEpoch());
        json.put("selection", "validation " + result.selection().name().toLowerCase(Locale.ROOT));
        json.put("bestValidationAuc", CliSupport.round(result.bestValidationAuc(), 4));
        json.put("operatingThreshold", CliSupport.round(result.operatingThreshold(), 4));
        json.put("stoppedEarly", result.stoppedEarly());
        json.put("epochs", result.history());
        json.put("seconds", CliSupport.seconds(t0));
        CliSupport.printRoundedJson(spec.commandLine().getOut(), json);
        return 0;
    }

    static DecoderChoice decoderChoice(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "moe" -> DecoderChoice.MOE;
            case "plain" -> DecoderChoice.PLAIN;
            case "plain+device" -> DecoderChoice.PLAIN_WITH_DEVICE;
            default -> throw new InvalidInputException("--decoder '" + text + "' is unknown (expected moe, plain or plain+device)");
        };
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
