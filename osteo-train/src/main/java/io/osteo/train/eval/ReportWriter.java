package io.osteo.train.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.osteo.api.OsteoException;
import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.api.metrics.ConfidenceInterval;
import io.osteo.api.metrics.Estimate;
import io.osteo.api.metrics.RocCurve;
import io.osteo.api.metrics.RocPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Writes an {@link EvaluationReport} in the layout of the paper's Tables 2-5 (rows = methods,
 * columns = ACC/SEN/SPE/F1/AUC at vertebra then patient level, p-values against the reference):
 * {@code tables.md} (all scopes), {@code table-<scope>.csv}, {@code evaluation.json} (everything,
 * including per-seed values, PPV/NPV, BMD MAE and interval details), {@code roc.csv} (every seed's
 * curve) and {@code roc-<scope>-<level>.png} (first seed of each method). Undefined values are
 * written as "n/a" (Markdown), empty cells (CSV) and null (JSON). Requires a headless-capable AWT
 * for the PNGs (the default on servers without a display). Stateless.
 */
public final class ReportWriter {

    /** Metric columns of the paper's tables. */
    public static final List<ClassificationMetric> TABLE_METRICS = List.of(ClassificationMetric.ACC,
            ClassificationMetric.SEN, ClassificationMetric.SPE, ClassificationMetric.F1, ClassificationMetric.AUC);

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private ReportWriter() {}

    /**
     * Writes every output into {@code directory} (created if needed).
     *
     * @param title heading of the Markdown file
     * @return the files written
     */
    public static List<Path> writeAll(EvaluationReport report, String title, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            written.add(write(directory.resolve("tables.md"), markdown(report, title)));
            for (String scope : report.scopes()) {
                written.add(write(directory.resolve("table-" + fileName(scope) + ".csv"), csv(report, scope)));
            }
            written.add(write(directory.resolve("evaluation.json"), json(report)));
            written.add(write(directory.resolve("roc.csv"), rocCsv(report)));
            for (String scope : report.scopes()) {
                for (EvaluationLevel level : EvaluationLevel.values()) {
                    Path png = directory.resolve("roc-" + fileName(scope) + "-" + level.label() + ".png");
                    ChartUtils.saveChartAsPNG(png.toFile(), rocChart(report, scope, level), 640, 560);
                    written.add(png);
                }
            }
            return written;
        } catch (IOException e) {
            throw new OsteoException("cannot write the evaluation report to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Markdown tables, one per scope. With a single method there is nothing to test against: the
     * p columns are left out and the preamble says so. The Seeds column counts each method's runs;
     * when every method has a single run, the preamble names the seeds instead of "mean over seeds".
     */
    public static String markdown(EvaluationReport report, String title) {
        boolean tests = hasTests(report);
        boolean severalSeeds = hasSeveralSeeds(report);
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append(severalSeeds ? "Values: mean over seeds (Seeds: runs per method)"
                : "Values: one run per method (" + seedList(report) + ")");
        sb.append(String.format(Locale.ROOT, "; in brackets the %.0f %% percentile bootstrap interval (%d replicates, "
                + "patients resampled, seed %d). Decision threshold %s. ", 100 * report.confidenceLevel(),
                report.bootstrapReplicates(), report.bootstrapSeed(), thresholds(report)));
        sb.append(tests ? "p: two-sided paired t-test of per-unit Brier loss against **" + report.referenceMethod()
                + "** (ref) over the same vertebrae/patients; n/a where undefined."
                : "No p-values: a single method, nothing to compare it with.");
        sb.append("\n\n");
        for (String scope : report.scopes()) {
            MethodScores any = report.row(report.methods().get(0), scope, EvaluationLevel.VERTEBRA);
            MethodScores anyPatient = report.row(report.methods().get(0), scope, EvaluationLevel.PATIENT);
            sb.append("## ").append(scope).append(String.format(Locale.ROOT,
                    " (%d vertebrae, %d positive; %d patients, %d positive)%n%n", any.units(), any.positives(),
                    anyPatient.units(), anyPatient.positives()));
            sb.append("| Method | Seeds |");
            int columns = 0;
            for (EvaluationLevel level : EvaluationLevel.values()) {
                for (ClassificationMetric m : TABLE_METRICS) {
                    sb.append(' ').append(level == EvaluationLevel.VERTEBRA ? "V-" : "P-").append(m.label()).append(" |");
                    columns++;
                }
                if (tests) {
                    sb.append(" p (").append(level.label()).append(") |");
                    columns++;
                }
            }
            sb.append(" BMD MAE |\n|---|---|");
            sb.append("---|".repeat(columns + 1)).append('\n');
            for (String method : report.methods()) {
                MethodScores v = report.row(method, scope, EvaluationLevel.VERTEBRA);
                sb.append("| ").append(method).append(" |");
                sb.append(' ').append(v.seeds().size()).append(" |");
                for (EvaluationLevel level : EvaluationLevel.values()) {
                    MethodScores r = report.row(method, scope, level);
                    for (ClassificationMetric m : TABLE_METRICS) {
                        sb.append(' ').append(r.metric(m).format(3)).append(" |");
                    }
                    if (tests) sb.append(' ').append(pValue(r, report)).append(" |");
                }
                sb.append(' ').append(v.bmdMae().format(3)).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String thresholds(EvaluationReport report) {
        String base = String.format(Locale.ROOT, "%.2f", report.threshold());
        if (report.methodThresholds().isEmpty() && report.runThresholds().isEmpty()) return base;
        List<String> own = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        boolean all = true;
        for (String m : report.methods()) {
            Map<Long, Double> bySeed = report.runThresholds().get(m);
            if (bySeed != null && !bySeed.isEmpty()) {
                List<String> values = new ArrayList<>();
                bySeed.forEach((seed, t) -> values.add(String.format(Locale.ROOT, "%.3f", t)));
                runs.add(m + " " + String.join("/", values));
            } else if (report.methodThresholds().containsKey(m)) {
                own.add(m + " " + String.format(Locale.ROOT, "%.3f", report.methodThresholds().get(m)));
            } else {
                all = false;
            }
        }
        List<String> parts = new ArrayList<>();
        if (!all) parts.add(base + (own.isEmpty() && runs.isEmpty() ? "" : " for the other methods"));
        if (!own.isEmpty()) parts.add("per method: " + String.join(", ", own));
        if (!runs.isEmpty()) parts.add("per run, chosen on validation and stored with each model (seeds in order): "
                + String.join(", ", runs));
        return String.join("; ", parts);
    }

    /** True when there is more than one method, so the others are t-tested against the reference. */
    static boolean hasTests(EvaluationReport report) {
        return report.methods().size() > 1;
    }

    /** True when some method has more than one run. */
    static boolean hasSeveralSeeds(EvaluationReport report) {
        return report.rows().stream().anyMatch(r -> r.seeds().size() > 1);
    }

    /** "seed 1" when all methods share one seed, else "seeds: a 1, b 0". */
    private static String seedList(EvaluationReport report) {
        List<String> parts = new ArrayList<>();
        java.util.Set<Long> seeds = new java.util.TreeSet<>();
        for (String method : report.methods()) {
            long seed = report.row(method, report.scopes().get(0), EvaluationLevel.VERTEBRA).seeds().get(0);
            seeds.add(seed);
            parts.add(method + " " + seed);
        }
        return seeds.size() == 1 ? "seed " + seeds.iterator().next() : "seeds: " + String.join(", ", parts);
    }

    /**
     * Display name of a DJL compute device for reports: "CPU", "GPU 0" (not DJL's "cpu()" /
     * "gpu(0)").
     */
    public static String computeDeviceName(ai.djl.Device device) {
        String type = device.getDeviceType();
        if (ai.djl.Device.Type.CPU.equals(type)) {
            return "CPU";
        }
        if (ai.djl.Device.Type.GPU.equals(type)) {
            return "GPU " + device.getDeviceId();
        }
        return device.getDeviceId() < 0 ? type : type + " " + device.getDeviceId();
    }

    /**
     * CSV of one scope: one row per method, its number of runs, value/lower/upper per metric and
     * level, and (with more than one method) the p-values against the reference, empty for the
     * reference itself and where undefined.
     */
    public static String csv(EvaluationReport report, String scope) {
        boolean tests = hasTests(report);
        StringBuilder sb = new StringBuilder("method,seeds");
        for (EvaluationLevel level : EvaluationLevel.values()) {
            for (ClassificationMetric m : ClassificationMetric.values()) {
                String c = level.label() + "_" + m.label().toLowerCase(Locale.ROOT);
                sb.append(',').append(c).append(',').append(c).append("_lower,").append(c).append("_upper");
            }
            if (tests) sb.append(',').append(level.label()).append("_p");
        }
        sb.append(",bmd_mae,bmd_mae_lower,bmd_mae_upper\n");
        for (String method : report.methods()) {
            sb.append(csvField(method)).append(',').append(report.row(method, scope, EvaluationLevel.VERTEBRA).seeds().size());
            for (EvaluationLevel level : EvaluationLevel.values()) {
                MethodScores r = report.row(method, scope, level);
                for (ClassificationMetric m : ClassificationMetric.values()) {
                    appendEstimate(sb, r.metric(m));
                }
                if (tests) {
                    sb.append(',').append(r.versusReference().flatMap(t -> box(t.pValue())).map(ReportWriter::num).orElse(""));
                }
            }
            appendEstimate(sb, report.row(method, scope, EvaluationLevel.VERTEBRA).bmdMae());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Everything as JSON; undefined values are null. */
    public static String json(EvaluationReport report) {
        JsonObject root = new JsonObject();
        root.addProperty("referenceMethod", report.referenceMethod());
        root.add("threshold", round(report.threshold()));
        JsonObject own = new JsonObject();
        report.methodThresholds().forEach((m, t) -> own.add(m, round(t)));
        root.add("methodThresholds", own);
        JsonObject perRun = new JsonObject();
        report.runThresholds().forEach((m, bySeed) -> {
            JsonObject seeds = new JsonObject();
            bySeed.forEach((seed, t) -> seeds.add(Long.toString(seed), round(t)));
            perRun.add(m, seeds);
        });
        root.add("runThresholds", perRun);
        root.addProperty("bootstrapReplicates", report.bootstrapReplicates());
        root.addProperty("bootstrapSeed", report.bootstrapSeed());
        root.add("confidenceLevel", round(report.confidenceLevel()));
        JsonArray rows = new JsonArray();
        for (MethodScores r : report.rows()) {
            JsonObject o = new JsonObject();
            o.addProperty("method", r.method());
            o.addProperty("scope", r.scope());
            o.addProperty("level", r.level().label());
            o.addProperty("units", r.units());
            o.addProperty("positives", r.positives());
            JsonArray seeds = new JsonArray();
            r.seeds().forEach(seeds::add);
            o.add("seeds", seeds);
            JsonObject metrics = new JsonObject();
            for (ClassificationMetric m : ClassificationMetric.values()) {
                JsonObject e = estimateJson(r.metric(m));
                JsonArray perSeed = new JsonArray();
                r.perSeed().forEach(s -> perSeed.add(jsonNumber(s.get(m))));
                e.add("perSeed", perSeed);
                metrics.add(m.label(), e);
            }
            o.add("metrics", metrics);
            o.add("bmdMae", estimateJson(r.bmdMae()));
            o.add("versusReference", r.versusReference().<com.google.gson.JsonElement>map(t -> {
                JsonObject tt = new JsonObject();
                tt.addProperty("test", "paired t-test of per-unit Brier loss, two-sided");
                tt.addProperty("n", t.n());
                tt.add("meanDifference", round(t.meanDifference()));
                tt.add("t", jsonNumber(t.t()));
                tt.add("p", jsonNumber(t.pValue()));
                return tt;
            }).orElse(JsonNull.INSTANCE));
            rows.add(o);
        }
        root.add("rows", rows);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }

    /** Every curve point: method, seed, scope, level, threshold, fpr, tpr. */
    public static String rocCsv(EvaluationReport report) {
        StringBuilder sb = new StringBuilder("method,seed,scope,level,threshold,fpr,tpr\n");
        for (MethodScores r : report.rows()) {
            for (int s = 0; s < r.roc().size(); s++) {
                Optional<RocCurve> roc = r.roc().get(s);
                if (roc.isEmpty()) continue;
                for (RocPoint p : roc.get().points()) {
                    sb.append(csvField(r.method())).append(',').append(r.seeds().get(s)).append(',').append(csvField(r.scope()))
                            .append(',').append(r.level().label()).append(',')
                            .append(Double.isInfinite(p.threshold()) ? "inf" : num(p.threshold())).append(',')
                            .append(num(p.falsePositiveRate())).append(',').append(num(p.truePositiveRate())).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** ROC chart of one scope and level: the first seed's curve of each method, AUC in the legend. */
    public static JFreeChart rocChart(EvaluationReport report, String scope, EvaluationLevel level) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String method : report.methods()) {
            MethodScores r = report.row(method, scope, level);
            Optional<RocCurve> roc = r.roc().get(0);
            if (roc.isEmpty()) continue;
            XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s (AUC %.3f, seed %d)", method, roc.get().auc(),
                    r.seeds().get(0)), false, true);
            for (RocPoint p : roc.get().points()) {
                series.add(p.falsePositiveRate(), p.truePositiveRate());
            }
            data.addSeries(series);
        }
        XYSeries chance = new XYSeries("chance", false, true);
        chance.add(0, 0);
        chance.add(1, 1);
        data.addSeries(chance);
        JFreeChart chart = ChartFactory.createXYLineChart("ROC, " + scope + ", " + level.label() + " level",
                "1 - specificity", "sensitivity", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount() - 1; i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        int last = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(last, Color.GRAY);
        renderer.setSeriesStroke(last, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {4f, 4f}, 0f));
        plot.setRenderer(renderer);
        ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
        return chart;
    }

    private static String pValue(MethodScores r, EvaluationReport report) {
        if (r.method().equals(report.referenceMethod())) {
            return "ref";
        }
        return r.versusReference().map(t -> t.pValue().isPresent() ? formatP(t.pValue().getAsDouble()) : "n/a")
                .orElse("n/a");
    }

    private static String formatP(double p) {
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static void appendEstimate(StringBuilder sb, Estimate e) {
        sb.append(',').append(box(e.value()).map(ReportWriter::num).orElse(""));
        sb.append(',').append(e.interval().map(ci -> num(ci.lower())).orElse(""));
        sb.append(',').append(e.interval().map(ci -> num(ci.upper())).orElse(""));
    }

    private static JsonObject estimateJson(Estimate e) {
        JsonObject o = new JsonObject();
        o.add("value", jsonNumber(e.value()));
        if (e.interval().isPresent()) {
            ConfidenceInterval ci = e.interval().get();
            o.add("lower", round(ci.lower()));
            o.add("upper", round(ci.upper()));
            o.addProperty("replicates", ci.replicates());
            o.addProperty("undefinedReplicates", ci.undefinedReplicates());
        } else {
            o.add("lower", JsonNull.INSTANCE);
            o.add("upper", JsonNull.INSTANCE);
        }
        return o;
    }

    private static com.google.gson.JsonElement jsonNumber(OptionalDouble v) {
        return v.isPresent() ? round(v.getAsDouble()) : JsonNull.INSTANCE;
    }

    /** A JSON number rounded to 6 significant digits (0.45109928 -> 0.451099); null if not finite. */
    static com.google.gson.JsonElement round(double v) {
        if (!Double.isFinite(v)) return JsonNull.INSTANCE;
        return new JsonPrimitive(Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
    }

    private static Optional<Double> box(OptionalDouble v) {
        return v.isPresent() ? Optional.of(v.getAsDouble()) : Optional.empty();
    }

    /** 6 significant digits without trailing zeros: 0.777778, 0.5, 0, 1.23457e-05. */
    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (!s.contains("e") && s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** File-name form of a scope: "site A" -> "site-a". */
    static String fileName(String scope) {
        return scope.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
