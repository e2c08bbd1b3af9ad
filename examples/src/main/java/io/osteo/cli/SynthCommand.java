package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo synth}: writes a synthetic multi-site cohort (CT patches, body masks, manifest and
 * the full generator configuration) and prints a JSON summary (counts per split, site and label).
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        header = "Writes a synthetic multi-site cohort.",
        description = {"Writes a synthetic multi-site cohort: .nii.gz CT patches and masks, manifest.csv, cohort.json. "
                + "Deterministic: the same seed and configuration give byte-identical files."},
        footer = {"", "Examples:", "  osteo synth --out cohort --preset small --seed 42",
            "  osteo synth --out tiny --config overrides.json   (e.g. {\"scale\": 0.01, \"patch\": {\"size\": 16}})"})
public final class SynthCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "cohort folder to write (created)")
    private Path out;

    @Option(names = "--seed", defaultValue = "42", description = "generator seed (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--preset", defaultValue = "small", paramLabel = "NAME",
            description = "small (1/25 of the paper's patients, seconds) or paper (full size); default ${DEFAULT-VALUE}")
    private String preset;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON overrides of any generator parameter, applied on top of the preset (see cohort.json of a run)")
    private Path config;

    @Option(names = "--threads", description = "writer threads (default: all processors; results do not depend on it)")
    private Integer threads;

    @Override
    public Integer call() {
        SyntheticCohortGenerator.Builder builder = SyntheticCohortGenerator.builder().preset(CohortPreset.parse(preset))
                .seed(seed).progress(ConsoleProgressBar.on(spec.commandLine().getErr()));
        if (config != null) {
            CliSupport.requireFile(config, "--config");
            String json;
            try {
                json = Files.readString(config, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new OsteoException("--config " + config + ": cannot read: " + e.getMessage(), e);
            }
            try {
                builder.configJson(json);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("--config " + config + ": " + e.getMessage(), e);
            }
        }
        if (threads != null) {
            builder.threads(threads);
        }
        if (Files.isRegularFile(out.resolve(SyntheticCohortGenerator.MANIFEST_FILE))) {
            throw new InvalidInputException("--out " + out + " already holds a cohort (" + SyntheticCohortGenerator.MANIFEST_FILE
                    + "); choose an empty folder");
        }
        long t0 = System.nanoTime();
        Manifest manifest = builder.build().write(out);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("manifest", manifest.file().toString());
        json.put("config", out.resolve(SyntheticCohortGenerator.CONFIG_FILE).toString());
        json.put("preset", preset.toLowerCase(java.util.Locale.ROOT));
        json.put("seed", seed);
        json.put("vertebrae", manifest.size());
        json.put("labelled", manifest.labelled().size());
        Map<String, Integer> bySplit = new TreeMap<>();
        Map<String, Map<String, Object>> bySite = new TreeMap<>();
        for (ManifestEntry e : manifest.entries()) {
            bySplit.merge(e.split().manifestName(), 1, Integer::sum);
            Map<String, Object> site = bySite.computeIfAbsent(e.site(), s -> new LinkedHashMap<>());
            if (e.device() != io.osteo.api.dxa.DxaDevice.UNKNOWN) {
                site.put("device", e.device().name());
            }
            site.merge("vertebrae", 1, (a, b) -> (Integer) a + (Integer) b);
            if (e.label() != null) {
                site.merge("labelled", 1, (a, b) -> (Integer) a + (Integer) b);
                site.merge("positive", e.label() ? 1 : 0, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        json.put("splits", bySplit);
        json.put("sites", bySite);
        json.put("seconds", seconds);
        CliSupport.printJson(spec.commandLine().getOut(), json);
        return 0;
    }
}
