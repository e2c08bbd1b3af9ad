package io.osteo.train.eval.claims;

import io.osteo.api.OsteoException;
import io.osteo.api.metrics.ConfidenceInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link ClaimsReport} in the style of the evaluation tables: {@code claims.md} (the
 * rules, then one row per claim and scope: the two AUCs, the difference with its interval, the
 * gate check and the verdict with the deciding rule), {@code claims.csv} (the same, machine
 * readable; empty cells where a value does not exist), and the per-device gate weight table
 * {@code gate-weights.md} / {@code gate-weights.csv}. AUCs and differences to 3 decimals in
 * Markdown, 6 significant digits in CSV. Stateless.
 */
public final class ClaimsWriter {

    private ClaimsWriter() {}

    /** Writes the four files into {@code directory} (created if needed) and returns them. */
    public static List<Path> writeAll(ClaimsReport report, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> out = new ArrayList<>();
            out.add(write(directory.resolve("claims.md"), markdown(report)));
            out.add(write(directory.resolve("claims.csv"), csv(report)));
            out.add(write(directory.resolve("gate-weights.md"), gateWeightsMarkdown(report.gateWeights())));
            out.add(write(directory.resolve("gate-weights.csv"), gateWeightsCsv(report.gateWeights())));
            return out;
        } catch (IOException e) {
            throw new OsteoException("cannot write the claims table to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The claims table in Markdown, with the pre-declared rules above it. */
    public static String markdown(ClaimsReport report) {
        StringBuilder sb = new StringBuilder("# Claims\n\n");
        sb.append(String.format(Locale.ROOT, "Each difference is the vertebra AUC of the first method minus that of the "
                + "second on the same test vertebrae, each AUC averaged over the method's seeds; in brackets the %.0f %% "
                + "percentile bootstrap interval (%d replicates, patients resampled, the same resample for both methods, "
                + "seed %d).%n%n", 100 * report.level(), report.replicates(), report.seed()));
        String m = ClaimsAnalysis.fmt(report.margin());
        sb.append("Pre-declared rules, in this order: **refuted** if the interval lies inside +/-").append(m)
                .append(" (even above 0: the effect is then below the relevant size) or below 0; **supported** if it lies above 0")
                .append(" (the device-aware MoE claim also needs its per-device mean gate weights to differ: largest")
                .append(" total-variation distance between two devices' mean gate distributions >= ")
                .append(ClaimsAnalysis.fmt(report.gateThreshold())).append("); otherwise **inconclusive**.\n\n");
        sb.append("| Claim | Scope | Difference | Seeds | Vertebrae (positive) / patients | AUC first | AUC second | "
                + "Difference (95 % CI) | Gates differ | Verdict | Rule |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ClaimResult r : report.results()) {
            sb.append("| ").append(r.claim().name()).append(" | ").append(r.scope()).append(" | ")
                    .append(r.claim().minuendMethod()).append(" minus ").append(r.claim().subtrahendMethod()).append(" | ")
                    .append(r.minuendSeeds()).append(" vs ").append(r.subtrahendSeeds()).append(" | ")
                    .append(r.vertebrae()).append(" (").append(r.positives()).append(") / ").append(r.patients()).append(" | ")
                    .append(f3(r.minuendAuc())).append(" | ").append(f3(r.subtrahendAuc())).append(" | ")
                    .append(signed(r.difference()))
                    .append(r.interval().map(ci -> " (" + signed(ci.lower()) + " to " + signed(ci.upper()) + ")")
                            .orElse(" (no interval)"))
                    .append(" | ").append(gateCell(r)).append(" | **").append(r.verdict().label()).append("** | ")
                    .append(r.reason()).append(" |\n");
        }
        return sb.append('\n').toString();
    }

    /** The claims table as CSV, one row per claim and scope. */
    public static String csv(ClaimsReport report) {
        StringBuilder sb = new StringBuilder("claim,scope,minuend,subtrahend,minuend_seeds,subtrahend_seeds,vertebrae,"
                + "positives,patients,minuend_auc,subtrahend_auc,difference,ci_lower,ci_upper,ci_level,replicates,"
                + "undefined_replicates,gates_required,gates_max_tv,gates_threshold,gates_differ,verdict,rule\n");
        for (ClaimResult r : report.results()) {
            sb.append(field(r.claim().name())).append(',').append(field(r.scope())).append(',')
                    .append(field(r.claim().minuendMethod())).append(',').append(field(r.claim().subtrahendMethod()))
                    .append(',').append(r.minuendSeeds()).append(',').append(r.subtrahendSeeds()).append(',')
                    .append(r.vertebrae()).append(',').append(r.positives()).append(',').append(r.patients()).append(',')
                    .append(num(r.minuendAuc())).append(',').append(num(r.subtrahendAuc())).append(',')
                    .append(num(r.difference())).append(',');
            ConfidenceInterval ci = r.interval().orElse(null);
            sb.append(ci == null ? "" : num(ci.lower())).append(',').append(ci == null ? "" : num(ci.upper())).append(',')
                    .append(num(report.level())).append(',').append(report.replicates()).append(',')
                    .append(ci == null ? "" : String.valueOf(ci.undefinedReplicates())).append(',')
                    .append(r.claim().requiresDeviceGates()).append(',')
                    .append(r.gates().map(g -> num(g.maxTotalVariation())).orElse("")).append(',')
                    .append(r.gates().map(g -> num(g.threshold())).orElse("")).append(',')
                    .append(r.gates().map(g -> String.valueOf(g.differ())).orElse("")).append(',')
                    .append(r.verdict().label()).append(',').append(field(r.reason())).append('\n');
        }
        return sb.toString();
    }

    /** Per-device mean gate weights, one row per method and device, experts as columns (3 decimals). */
    public static String gateWeightsMarkdown(List<DeviceGateWeights> weights) {
        StringBuilder sb = new StringBuilder("# Per-device gate weights\n\n");
        if (weights.isEmpty()) {
            return sb.append("No MoE gate weights were recorded.\n").toString();
        }
        int experts = weights.stream().mapToInt(w -> w.meanWeights().length).max().orElse(0);
        sb.append("Mean gate weight alpha_i of each expert over the test vertebrae labelled by each DXA device "
                + "(all seeds together).\n\n| Method | DXA device | Vertebrae |");
        for (int i = 1; i <= experts; i++) sb.append(" Expert ").append(i).append(" |");
        sb.append("\n|---|---|---|").append("---|".repeat(experts)).append('\n');
        for (DeviceGateWeights w : weights) {
            sb.append("| ").append(w.method()).append(" | ").append(deviceName(w.device())).append(" | ")
                    .append(w.vertebrae()).append(" |");
            double[] a = w.meanWeights();
            for (int i = 0; i < experts; i++) sb.append(' ').append(i < a.length ? f3(a[i]) : "").append(" |");
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }

    /** Per-device mean gate weights as CSV: method, device, vertebrae, expert_1..expert_N. */
    public static String gateWeightsCsv(List<DeviceGateWeights> weights) {
        int experts = weights.stream().mapToInt(w -> w.meanWeights().length).max().orElse(0);
        StringBuilder sb = new StringBuilder("method,device,vertebrae");
        for (int i = 1; i <= experts; i++) sb.append(",expert_").append(i);
        sb.append('\n');
        for (DeviceGateWeights w : weights) {
            sb.append(field(w.method())).append(',').append(w.device().name()).append(',').append(w.vertebrae());
            double[] a = w.meanWeights();
            for (int i = 0; i < experts; i++) sb.append(',').append(i < a.length ? num(a[i]) : "");
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Display name of a DXA device: "Hologic", "GE Lunar", "MEDIX", "unknown". */
    public static String deviceName(io.osteo.api.dxa.DxaDevice device) {
        return switch (device) {
            case HOLOGIC -> "Hologic";
            case GE_LUNAR -> "GE Lunar";
            case MEDIX -> "MEDIX";
            case UNKNOWN -> "unknown";
        };
    }

    private static String gateCell(ClaimResult r) {
        if (!r.claim().requiresDeviceGates()) return "not required";
        return r.gates().map(g -> (g.differ() ? "yes" : "no") + " (max TV " + f3(g.maxTotalVariation()) + ")")
                .orElse("no gate weights");
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String signed(double v) {
        String s = String.format(Locale.ROOT, "%+.3f", v);
        return s.equals("-0.000") ? "+0.000" : s;
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        // drop trailing zeros of the fraction: 0.500000 -> 0.5, 1.00000e-05 stays scientific
        if (!s.contains("e") && s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
