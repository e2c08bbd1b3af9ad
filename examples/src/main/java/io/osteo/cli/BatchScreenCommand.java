package io.osteo.cli;

import io.osteo.api.OsteoException;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.spark.BatchScreenSummary;
import io.osteo.spark.BatchScreening;
import io.osteo.spark.SparkJvm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo batch-screen}: screens a list of studies on Apache Spark (embedded local mode by
 * default) into an output folder (reports.jsonl, findings.parquet, errors.csv), prints a JSON
 * summary; exit 0 when every study was screened, 3 when some could not be (rows in errors.csv),
 * 1 when the job could not run. A JVM started without Spark's Java 17 options re-runs the command
 * in a child JVM that has them.
 */
@Command(name = "batch-screen", mixinStandardHelpOptions = true,
        header = "Screens a list of studies on Apache Spark; resumable.",
        description = {"Screens every study of a list (CSV: study_id,ct,seg,label_scheme,level,sex) on Apache Spark, with a "
                + "model (--model) or the HU baseline (--hu-threshold). Writes OUT/reports.jsonl (one report per line), "
                + "OUT/findings.parquet (one row per vertebra) and OUT/errors.csv (study_id,error); a rerun on the same "
                + "OUT screens only the studies not yet done. Prints a JSON summary. Exit 0: all screened; 3: some "
                + "failed (see errors.csv); 1: the job could not run."},
        footer = {"", "Examples:",
            "  osteo batch-screen --studies studies.csv --out out --hu-threshold 160",
            "  osteo batch-screen --studies studies.csv --out out --model model/ --master local[2]"})
public final class BatchScreenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--studies", required = true, paramLabel = "FILE",
            description = "study list: CSV with header study_id,ct,seg,label_scheme,level,sex (or .parquet);"
                    + " relative paths are relative to the list")
    private Path studies;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (a rerun resumes it)")
    private Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private ScreenCommand.Screener screener;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[*] (default), local[N], spark://host:7077, yarn ...")
    private String master;

    @Option(names = "--workers-per-executor", paramLabel = "N",
            description = "studies one executor's screener screens at once (default: its task slots)")
    private Integer workersPerExecutor;

    @Option(names = "--threshold", paramLabel = "P", description = "operating probability threshold of the model")
    private Double threshold;

    @Option(names = "--report-device", defaultValue = "HOLOGIC", paramLabel = "DEVICE",
            description = "DXA scale of BMD / T-score estimates: HOLOGIC, GE_LUNAR, MEDIX; default ${DEFAULT-VALUE}")
    private String reportDevice;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "compute device of the model on each executor: auto, cpu, gpu0, ...; default ${DEFAULT-VALUE}")
    private String device;

    @Option(names = "--commit-every", defaultValue = "1000", paramLabel = "N",
            description = "studies per commit round (a killed run loses at most one round); default ${DEFAULT-VALUE}")
    private int commitEvery;

    @Option(names = "--ship-model", negatable = true, paramLabel = "BOOL",
            description = "broadcast the model folder to the executors (default: yes unless the master is local;"
                    + " --no-ship-model when every node mounts the folder)")
    private Boolean shipModel;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!SparkJvm.ready()) {
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (args.isEmpty() || !args.get(0).equals("batch-screen")) {
                args.add(0, "batch-screen");
            }
            stdout.flush();
            err.flush();
            return SparkJvm.relaunch(OsteoCli.class.getName(), args.toArray(String[]::new));
        }
        try {
            BatchScreening.Builder b = BatchScreening.builder().studies(studies).out(out).device(device)
                    .reportDevice(DxaDevice.parse(reportDevice)).commitEvery(commitEvery)
                    .progress(CliSupport.stderrProgress(err));
            if (screener.model != null) {
                b.model(screener.model);
            } else {
                b.huThreshold(screener.huThreshold);
            }
            if (threshold != null) {
                b.operatingThreshold(threshold);
            }
            if (master != null) {
                b.master(master);
            }
            if (workersPerExecutor != null) {
                b.workersPerExecutor(workersPerExecutor);
            }
            if (shipModel != null) {
                b.shipModel(shipModel);
            }
            BatchScreenSummary summary = b.build().run();
            stdout.println(summary.toJson());
            stdout.flush();
            if (summary.failed() + summary.failedEarlier() > 0) {
                err.println("osteo batch-screen: " + (summary.failed() + summary.failedEarlier())
                        + " studies could not be screened: see " + out.resolve("errors.csv"));
                err.flush();
            }
            return summary.exitCode();
        } catch (OsteoException e) {
            err.println("osteo batch-screen: " + e.getMessage().replace('\n', ' '));
            err.flush();
            return 1;
        }
    }
}
