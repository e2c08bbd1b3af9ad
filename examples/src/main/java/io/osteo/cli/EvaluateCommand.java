package io.osteo.cli;

import io.osteo.train.dataset.RawHuChannels;
import ai.djl.Device;
import com.google.gson.JsonParser;
import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.Evaluator;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.PredictionsCsv;
import io.osteo.train.eval.ReportWriter;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.finetune.MultiTaskFineTuner;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.Split;
import io.osteo.train.reproduce.CohortSamples;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code osteo evaluate}: predicts a cohort split with a packaged model and writes vertebra- and
 * patient-level (any-positive) ACC/SEN/SPE/F1/AUC per site and overall with patient-bootstrap
 * intervals: {@code tables.md}, one CSV per scope, {@code evaluation.json}, ROC curves (CSV and
 * PNG) and {@code predictions.csv} in {@code --out}; the evaluation JSON goes to stdout.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Evaluates a model: metrics per site, ROC curves, tables.",
        description = {"Evaluates a packaged model on a cohort split: ACC/SEN/SPE/F1/AUC per site and overall, at vertebra "
                + "and patient level, with bootstrap CIs; ROC PNG/CSV and tables (Markdown/CSV/JSON) in --out."},
        footer = {"", "Example:", "  osteo evaluate --data cohort --model model-run/model --out eval --split external"})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST",
            description = "cohort manifest CSV, or the folder holding manifest.csv")
    private Path data;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "packaged model directory")
    private Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for tables, ROC curves, predictions")
    private Path out;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            description = "test (internal sites) or external (the held-out site); default ${DEFAULT-VALUE}")
    private String split;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu0, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--threshold", description = "decision threshold on the probability (default: the model's)")
    private Double threshold;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "bootstrap replicates of the CIs (default: ${DEFAULT-VALUE})")
    private int bootstrap;

    @Option(names = "--cache", paramLabel = "DIR", description = "patch cache (default: <out>/cache)")
    private Path cache;

    @Override
    public Integer call() {
        Split s = split(split);
        Device dev = io.osteo.model.device.DeviceSelection.select(device);
        ModelDescriptor descriptor = DescriptorJson.read(model);
        if (descriptor.input().channels() != 1 || descriptor.input().texturePool() != null) {
            throw new InvalidInputException("--model " + model + ": evaluate reads image-only models (1 channel), this one has "
                    + descriptor.input().channels() + " input channels");
        }
        Manifest manifest = CohortInputs.manifest(data);
        List<Integer> shape = descriptor.architecture().patchSize();
        CohortSamples samples = new CohortSamples(manifest, new io.osteo.train.dataset.ChannelCache(
                cache != null ? cache : out.resolve("cache"), RawHuChannels.INSTANCE),
                shape.size() == 2);
        List<LabelledVertebra> vertebrae = samples.labelled(s);
        if (vertebrae.isEmpty()) {
            throw new InvalidInputException("--data " + manifest.file() + " has no labelled rows in split '" + s.manifestName() + "'");
        }
        List<Integer> dataShape = java.util.Arrays.stream(vertebrae.get(0).patch().shape()).boxed().toList();
        if (!dataShape.equals(shape)) {
            throw new InvalidInputException("--model " + model + " expects patches of " + shape + " voxels but the cohort "
                    + manifest.file() + " has " + dataShape);
        }
        String method = descriptor.name();
        List<MethodRun> runs = new ArrayList<>(List.of(MultiTaskFineTuner.predict(model, vertebrae, method,
                seedOf(descriptor), dev)));
        double t = threshold != null ? threshold : descriptor.operatingThreshold();
        EvaluationReport report = Evaluator.builder().threshold(t)
                .bootstrap(Bootstrap.builder().replicates(bootstrap).seed(20250923L).build()).build().evaluate(runs);
        List<Path> files = new ArrayList<>(ReportWriter.writeAll(report,
                "Evaluation of " + model + " on the " + s.manifestName() + " split of " + manifest.file(), out));
        Path predictions = out.resolve("predictions.csv");
        PredictionsCsv.write(runs, predictions);
        files.add(predictions);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.toString());
        json.put("data", manifest.file().toString());
        json.put("split", s.manifestName());
        json.put("vertebrae", vertebrae.size());
        json.put("threshold", t);
        json.put("device", CliSupport.deviceName(dev));
        json.put("files", files.stream().map(Path::toString).toList());
        json.put("evaluation", JsonParser.parseString(ReportWriter.json(report)));
        CliSupport.printRoundedJson(spec.commandLine().getOut(), json);
        return 0;
    }

    /** The training seed recorded in the model's provenance (0 when absent): the run's seed in the tables. */
    private static long seedOf(ModelDescriptor descriptor) {
        return descriptor.provenance() == null || descriptor.provenance().seed() == null ? 0 : descriptor.provenance().seed();
    }

    static Split split(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "test" -> Split.TEST;
            case "external" -> Split.EXTERNAL;
            default -> throw new InvalidInputException("--split '" + text + "' is unknown (expected test or external)");
        };
    }
}
