package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.train.prepare.CohortPreparer;
import io.osteo.train.reproduce.ReproductionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo prepare}: builds a training cohort from a hospital's CTs, label maps and DXA table
 * ({@link CohortPreparer}); prints a JSON summary on stdout.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        header = "Builds a training cohort from CTs, label maps and DXA.",
        description = {"Cuts every vertebra of the CTs listed in --cts with the screener's own ROI extractor and the"
                + " preprocessing of the models to be trained (a budget's, or that of a model or an earlier cohort),"
                + " and writes manifest.csv with one .nii.gz patch and mask per vertebra, preprocessing.json and"
                + " prepare-report.json (what was cut, skipped and why; DXA rows without a CT; CTs without DXA)."
                + " Splits are by patient and seeded; vertebrae without DXA go to the pretraining pool.",
            "",
            "cts.csv columns: patient_id, site, ct, seg, label_scheme, level, sex, age (ct: NIfTI, NRRD or a DICOM"
                + " folder; label_scheme: totalsegmentator, verse or binary with level). dxa.csv columns: patient_id,"
                + " level, dxa_device, bmd, t_score. Relative paths are read from the CSV's folder."},
        footer = {"", "Examples:",
            "  osteo prepare --cts cts.csv --dxa dxa.csv --out cohort",
            "  osteo prepare --cts cts.csv --dxa dxa.csv --out cohort --budget smoke --external-sites hospital-b",
            "  osteo finetune --data cohort --out run --budget smoke   (train with the budget it was prepared for)"})
public final class PrepareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--cts", required = true, paramLabel = "CSV", description = "the CT table (cts.csv)")
    private Path cts;

    @Option(names = "--dxa", paramLabel = "CSV", description = "the DXA table (dxa.csv); without it every vertebra is"
            + " unlabelled (pretraining pool)")
    private Path dxa;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "cohort folder to write (created)")
    private Path out;

    @Option(names = "--budget", defaultValue = "cpu", paramLabel = "NAME", description = "cut patches as this training"
            + " budget's models see them (smoke, cpu, study, paper); default ${DEFAULT-VALUE}")
    private String budget;

    @Option(names = "--preprocessing", paramLabel = "PATH", description = "instead of --budget: a model folder or a"
            + " preprocessing.json whose preprocessing to cut with")
    private Path preprocessing;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the patient split; default ${DEFAULT-VALUE}")
    private long seed;

    @Option(names = "--valid-fraction", defaultValue = "0.2", description = "fraction of the internal labelled patients"
            + " for validation; default ${DEFAULT-VALUE}")
    private double validFraction;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "fraction for the internal test; default"
            + " ${DEFAULT-VALUE}")
    private double testFraction;

    @Option(names = "--external-sites", split = ",", paramLabel = "SITE", description = "sites held out whole as the"
            + " external split (comma-separated)")
    private List<String> externalSites = List.of();

    @Override
    public Integer call() {
        CliSupport.requireFile(cts, "--cts");
        if (dxa != null) {
            CliSupport.requireFile(dxa, "--dxa");
        }
        if (Files.isRegularFile(out)) {
            throw new InvalidInputException("--out " + out + ": is a file, a cohort folder is expected");
        }
        if (Files.isRegularFile(out.resolve("manifest.csv"))) {
            throw new InvalidInputException("--out " + out + " already holds a cohort (manifest.csv); choose an empty folder");
        }
        Preprocessing pre = preprocessing == null
                ? CohortPreparer.preprocessingOf(ReproductionBudget.parse(budget), Normalization.boneWindow())
                : readPreprocessing(preprocessing);
        long t0 = System.nanoTime();
        CohortPreparer.Result r = CohortPreparer.builder().cts(cts).dxa(dxa).preprocessing(pre).seed(seed)
                .fractions(validFraction, testFraction).externalSites(Set.copyOf(externalSites))
                .progress(ConsoleProgressBar.on(spec.commandLine().getErr())).build().prepare(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("manifest", r.manifest().toString());
        json.put("preprocessing", r.preprocessing().toString());
        json.put("report", out.resolve(CohortPreparer.REPORT_FILE).toString());
        json.put("vertebrae", r.vertebrae());
        json.put("ctsFailed", r.cts().stream().filter(c -> c.error() != null).map(c -> c.error()).toList());
        json.put("skippedVertebrae", r.cts().stream().mapToInt(c -> c.skipped().size()).sum());
        json.put("dxaWithoutCt", r.dxaWithoutCt().size());
        json.put("dxaNotCut", r.dxaNotCut().size());
        json.put("ctsWithoutDxa", r.ctsWithoutDxa().size());
        json.put("seed", seed);
        json.put("seconds", CliSupport.round(CliSupport.seconds(t0), 2));
        spec.commandLine().getOut().println(CliSupport.GSON.toJson(json));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Preprocessing readPreprocessing(Path path) {
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(ModelDescriptor.FILE_NAME))) {
                return DescriptorJson.read(path).preprocessing();
            }
            path = path.resolve(Preprocessing.FILE_NAME);
        }
        CliSupport.requireFile(path, "--preprocessing");
        try {
            return Preprocessing.fromJson(Files.readString(path, StandardCharsets.UTF_8), "--preprocessing " + path);
        } catch (IOException e) {
            throw new InvalidInputException("--preprocessing " + path + ": cannot read: " + e.getMessage(), e);
        }
    }
}
