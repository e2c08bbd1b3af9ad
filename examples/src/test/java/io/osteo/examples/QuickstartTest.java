package io.osteo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.cli.ConsoleProgressBar;
import io.osteo.model.packaging.DescriptorJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart pipeline end to end with a quarter of the small cohort and one or two epochs:
 * every stage runs and the model it trains screens the real CT.
 */
class QuickstartTest {

    private static Path shared(String name) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        return Path.of(dir, "data", "totalsegmentator", name);
    }

    @Test
    void tinyQuickstartTrainsEvaluatesAndScreensTheRealCt(@TempDir Path tmp) throws Exception {
        StringWriter log = new StringWriter();
        StringWriter progress = new StringWriter();
        Quickstart.Settings settings = new Quickstart.Settings(0.01, 1, 64, 2, 50);
        Quickstart.Summary s = Quickstart.run(tmp.resolve("out"), shared("example_ct_sm.nii.gz"),
                shared("example_seg.nii.gz"), settings, "cpu", new ConsoleProgressBar(new PrintWriter(progress, true), false),
                new PrintWriter(log, true));

        assertThat(log.toString()).contains("1/5", "2/5", "3/5", "4/5", "5/5");
        assertThat(progress.toString()).contains("synthetic cohort: done", "cohort store: done", "pretrain: done",
                "finetune: done");
        assertThat(s.cohort()).isRegularFile();
        assertThat(s.tables()).isRegularFile();
        assertThat(Files.readString(s.tables())).contains("internal test").contains("external test");
        assertThat(Files.readAllBytes(s.rocPng())).startsWith(0x89, 'P', 'N', 'G');
        assertThat(DescriptorJson.read(s.model()).name()).isEqualTo("osteoscreen-quickstart");

        ScreeningReport report = ScreeningReportJson.fromJson(Files.readString(s.screeningReport()));
        assertThat(report.vertebrae()).extracting(VertebraFinding::level)
                .containsExactlyInAnyOrder(VertebraLevel.T12, VertebraLevel.L1, VertebraLevel.L2);
        assertThat(report.skipped()).extracting(x -> x.level()).containsExactly(VertebraLevel.T11);
        for (VertebraFinding f : report.vertebrae()) {
            assertThat(f.probability()).isBetween(0.0, 1.0);
            assertThat(f.estimatedBmd()).isNotNull();
        }
        assertThat(report.screener().name()).isEqualTo("osteoscreen-quickstart");
        // trained on synthetic patches at the budget's spacing: the 3 mm CT lies outside, and the report says so
        assertThat(report.outOfDistribution()).anyMatch(r -> r.startsWith("slice spacing 3.00 mm outside the training range"))
                .anyMatch(r -> r.startsWith("in-plane voxel size 3.00 x 3.00 mm outside"));
        assertThat(report.vertebrae()).noneMatch(VertebraFinding::levelDisagreement); // correct labels
        assertThat(DescriptorJson.read(s.model()).provenance().dataset()).contains("manifest.csv");

        StringWriter summary = new StringWriter();
        Quickstart.printSummary(s, new PrintWriter(summary, true));
        assertThat(summary.toString()).contains(s.tables().toString(), s.rocPng().toString(), s.model().toString(),
                s.screeningReport().toString(), "not clinical");
    }
}
