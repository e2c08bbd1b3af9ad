package io.osteo.examples;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Screens one CT with a TotalSegmentator v2 label map and prints a table plus the JSON report.
 *
 * <pre>
 * ScreenCt CT SEG [MODEL_DIR | --hu HU] [REPORT.json]
 * </pre>
 * Without a model it runs the HU-threshold baseline (default 160 HU). Defaults to the real CT in
 * {@code ../shared/data/totalsegmentator/} when no arguments are given.
 */
public final class ScreenCt {

    private ScreenCt() {}

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("osteo.shared.dir", "../shared"), "data", "totalsegmentator");
        Path ct = args.length > 0 ? Path.of(args[0]) : shared.resolve("example_ct_sm.nii.gz");
        Path seg = args.length > 1 ? Path.of(args[1]) : shared.resolve("example_seg.nii.gz");
        OsteoScreener.Builder builder = OsteoScreener.builder();
        int next = 2;
        if (args.length > 2 && args[2].equals("--hu")) {
            builder.huThreshold(Double.parseDouble(args[3]));
            next = 4;
        } else if (args.length > 2) {
            builder.model(Path.of(args[2]));
            next = 3;
        } else {
            builder.huThreshold(160);
        }
        Study study = Study.of(ct.getFileName().toString(), VolumeIo.readVolume(ct), VolumeIo.readLabels(seg),
                LabelScheme.totalSegmentatorV2());
        try (OsteoScreener screener = builder.build()) {
            ScreeningReport report = screener.screen(study);
            System.out.printf(Locale.ROOT, "%s screened by %s %s on %s%n", report.studyId(), report.screener().name(),
                    report.screener().version(), report.screener().computeDevice());
            System.out.printf(Locale.ROOT, "%-6s %-12s %-9s %-10s %-8s %s%n", "level", "decision", "prob", "BMD g/cm2",
                    "T", "trabecular HU");
            for (VertebraFinding f : report.vertebrae()) {
                System.out.printf(Locale.ROOT, "%-6s %-12s %-9s %-10s %-8s %.0f +/- %.0f%n", f.level(), f.decision(),
                        f.probability() == null ? "-" : String.format(Locale.ROOT, "%.3f", f.probability()),
                        f.estimatedBmd() == null ? "-" : String.format(Locale.ROOT, "%.3f", f.estimatedBmd()),
                        f.estimatedTScore() == null ? "-" : String.format(Locale.ROOT, "%.1f", f.estimatedTScore()),
                        f.trabecularHu().meanHu(), f.trabecularHu().sdHu());
            }
            for (SkippedVertebra s : report.skipped()) {
                System.out.println(s.vertebra() + " skipped: " + s.reason() + ": " + s.detail());
            }
            System.out.println("patient: " + report.patient().decision() + " (" + report.patient().rule()
                    + ", driven by " + report.patient().drivenBy() + ")");
            if (args.length > next) {
                Files.writeString(Path.of(args[next]), report.toJson());
                System.out.println("report written to " + args[next]);
            }
        }
    }
}
