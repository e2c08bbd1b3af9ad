package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.SkipReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ScreenCommandTest {

    private static Path shared(String name) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        return Path.of(dir, "data", "totalsegmentator", name);
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ScreenCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void huThresholdScreensTheRealCtWithoutAModel() {
        Run r = run("--ct", shared("example_ct_sm.nii.gz").toString(), "--seg", shared("example_seg.nii.gz").toString(),
                "--hu-threshold", "110", "--report-device", "ge_lunar");
        assertThat(r.code()).as(r.err()).isZero();
        ScreeningReport report = ScreeningReportJson.fromJson(r.out());
        assertThat(report.studyId()).isEqualTo("example_ct_sm");
        assertThat(report.vertebrae()).hasSize(3);
        assertThat(report.skipped()).singleElement().satisfies(s -> {
            assertThat(s.level()).isEqualTo(VertebraLevel.T11);
            assertThat(s.reason()).isEqualTo(SkipReason.PARTIAL_AT_SCAN_EDGE);
        });
        assertThat(report.settings()).containsEntry("huThreshold", "110.0");
        assertThat(report.reportDevice().name()).isEqualTo("GE_LUNAR");
        assertThat(r.err()).contains("screening example_ct_sm");
    }

    @Test
    void badInputIsOneLineOnStderrWithExitCode1() {
        Run missing = run("--ct", "/nonexistent/ct.nii.gz", "--seg", shared("example_seg.nii.gz").toString(),
                "--hu-threshold", "110");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().strip()).startsWith("osteo screen: ").contains("/nonexistent/ct.nii.gz")
                .doesNotContain("\n");

        Run scheme = run("--ct", shared("example_ct_sm.nii.gz").toString(), "--seg",
                shared("example_seg.nii.gz").toString(), "--hu-threshold", "110", "--label-scheme", "binary");
        assertThat(scheme.code()).isEqualTo(1);
        assertThat(scheme.err()).contains("needs the vertebra level");
    }

    @Test
    void modelPathScreensWithAPackagedModel(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path model = io.osteo.examples.UntrainedModel.write(tmp.resolve("model"));
        Run r = run("--ct", shared("example_ct_sm.nii.gz").toString(), "--seg", shared("example_seg.nii.gz").toString(),
                "--model", model.toString(), "--device", "cpu", "--report-device", "MEDIX", "--threshold", "0.3",
                "--sex", "M");
        assertThat(r.code()).as(r.err()).isZero();
        ScreeningReport report = ScreeningReportJson.fromJson(r.out());
        assertThat(report.screener().kind()).isEqualTo("model");
        assertThat(report.settings()).containsEntry("operatingThreshold", "0.3").containsEntry("patientSex", "MALE");
        assertThat(report.vertebrae()).allSatisfy(f -> assertThat(f.estimatedBmd()).isNotNull());

        Run missing = run("--ct", shared("example_ct_sm.nii.gz").toString(), "--seg",
                shared("example_seg.nii.gz").toString(), "--model", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("osteo screen: model directory").contains("nope");
    }

    @Test
    void isASubcommandOfOsteo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out), new PrintWriter(err), "screen", "--ct",
                shared("example_ct_sm.nii.gz").toString(), "--seg", shared("example_seg.nii.gz").toString(),
                "--hu-threshold", "160");
        assertThat(code).as(err.toString()).isZero();
        assertThat(ScreeningReportJson.fromJson(out.toString()).vertebrae()).hasSize(3);
        StringWriter usage = new StringWriter();
        assertThat(OsteoCli.run(new PrintWriter(usage), new PrintWriter(new StringWriter()), "--help")).isZero();
        assertThat(usage.toString()).contains("screen");
    }

    @Test
    void modelAndHuThresholdAreExclusive() {
        Run both = run("--ct", "a.nii", "--seg", "b.nii", "--hu-threshold", "110", "--model", "m");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(run("--help").out()).contains("--hu-threshold").contains("--report-device");
    }
}
