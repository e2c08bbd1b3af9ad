package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code osteo batch-screen} end to end on embedded Spark (local[2]), against {@code osteo screen}. */
class BatchScreenCommandTest {

    private static Path shared(String name) {
        return Path.of(System.getProperty("osteo.shared.dir"), "data", "totalsegmentator", name).toAbsolutePath();
    }

    private record Run(int code, String out, String err) {}

    private static Run osteo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> reportLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var parts = Files.list(out.resolve("reports.jsonl"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    @Test
    void mixedListExitsThreeAndARerunAddsNothing(@TempDir Path tmp) throws IOException {
        Files.write(tmp.resolve("corrupt.nii.gz"), new byte[] {1, 2, 3, 4});
        Path list = tmp.resolve("studies.csv");
        Files.writeString(list, "study_id,ct,seg,label_scheme,level,sex\n"
                + "real," + shared("example_ct_sm.nii.gz") + "," + shared("example_seg.nii.gz") + ",totalsegmentator,,\n"
                + "corrupt,corrupt.nii.gz," + shared("example_seg.nii.gz") + ",totalsegmentator,,\n"
                + "missing,nowhere/ct.nii.gz," + shared("example_seg.nii.gz") + ",totalsegmentator,,\n");
        Path out = tmp.resolve("out");
        Run first = osteo("batch-screen", "--studies", list.toString(), "--out", out.toString(), "--hu-threshold", "160",
                "--master", "local[2]");
        assertThat(first.code()).as(first.err()).isEqualTo(3);
        JsonObject summary = JsonParser.parseString(first.out()).getAsJsonObject();
        assertThat(summary.get("screened").getAsLong()).isEqualTo(1);
        assertThat(summary.get("failed").getAsLong()).isEqualTo(2);
        assertThat(summary.get("studiesPerSecond").getAsDouble()).isPositive();
        assertThat(first.err()).contains("2 studies could not be screened");

        Run screen = osteo("screen", "--ct", shared("example_ct_sm.nii.gz").toString(), "--seg",
                shared("example_seg.nii.gz").toString(), "--hu-threshold", "160", "--id", "real");
        assertThat(screen.code()).as(screen.err()).isZero();
        List<String> lines = reportLines(out);
        assertThat(lines).hasSize(1);
        assertThat(ScreeningReportJson.fromJson(lines.get(0))).isEqualTo(ScreeningReportJson.fromJson(screen.out()));

        StringBuilder errors = new StringBuilder();
        try (var parts = Files.list(out.resolve("errors.csv"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                errors.append(Files.readString(p)); // each part file starts with the header
            }
        }
        assertThat(errors.toString()).startsWith("study_id,error").contains("corrupt,").contains("corrupt.nii.gz")
                .contains("missing,").contains("nowhere/ct.nii.gz");

        Run again = osteo("batch-screen", "--studies", list.toString(), "--out", out.toString(), "--hu-threshold", "160",
                "--master", "local[2]");
        assertThat(again.code()).as(again.err()).isEqualTo(3);
        JsonObject s2 = JsonParser.parseString(again.out()).getAsJsonObject();
        assertThat(s2.get("screened").getAsLong() + s2.get("failed").getAsLong()).isZero();
        assertThat(s2.get("alreadyDone").getAsLong()).isEqualTo(3);
        assertThat(reportLines(out)).hasSize(1);
        assertThat(Files.exists(out.resolve("findings.parquet").resolve("_SUCCESS"))).isTrue();
    }

    @Test
    void modelScreensLikeOsteoScreen(@TempDir Path tmp) throws IOException {
        Path model = io.osteo.examples.UntrainedModel.write(tmp.resolve("model"));
        Path list = tmp.resolve("s.csv");
        Files.writeString(list, "study_id,ct,seg,label_scheme,level,sex\nreal," + shared("example_ct_sm.nii.gz") + ","
                + shared("example_seg.nii.gz") + ",totalsegmentator,,F\n");
        Run batch = osteo("batch-screen", "--studies", list.toString(), "--out", tmp.resolve("out").toString(),
                "--model", model.toString(), "--device", "cpu", "--master", "local[2]", "--workers-per-executor", "1");
        assertThat(batch.code()).as(batch.err()).isZero();
        Run screen = osteo("screen", "--ct", shared("example_ct_sm.nii.gz").toString(), "--seg",
                shared("example_seg.nii.gz").toString(), "--model", model.toString(), "--device", "cpu", "--sex", "F",
                "--id", "real");
        assertThat(screen.code()).as(screen.err()).isZero();
        ScreeningReport expected = ScreeningReportJson.fromJson(screen.out());
        assertThat(ScreeningReportJson.fromJson(reportLines(tmp.resolve("out")).get(0))).isEqualTo(expected);
        assertThat(expected.screener().kind()).isEqualTo("model");
    }

    @Test
    void usageErrors() {
        Run none = osteo("batch-screen", "--studies", "s.csv", "--out", "o");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--model").contains("--hu-threshold");
        assertThat(osteo("batch-screen", "--help").out()).contains("--studies").contains("--master")
                .contains("errors.csv");
    }
}
