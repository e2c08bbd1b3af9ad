package io.osteo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.Study;
import io.osteo.spark.executor.ExecutorScreeners;
import io.osteo.spark.output.Findings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch screening on a real embedded Spark (local[2]): mixed studies, resume, Parquet, equality with the screener. */
class BatchScreeningTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("osteo-spark test")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
        ExecutorScreeners.closeAll();
    }

    private static Map<String, ScreeningReport> reports(Path out) {
        List<String> lines = TestStudies.lines(out.resolve("reports.jsonl"));
        Map<String, ScreeningReport> byId = new HashMap<>();
        for (String line : lines) {
            assertThat(line).doesNotContain("\n").startsWith("{");
            ScreeningReport r = ScreeningReportJson.fromJson(line);
            assertThat(byId.put(r.studyId(), r)).as("study %s reported twice", r.studyId()).isNull();
        }
        return byId;
    }

    private static Map<String, String> errors(Path out) {
        List<Row> rows = spark.read().option("header", "true").csv(out.resolve("errors.csv").toString()).collectAsList();
        Map<String, String> byId = new HashMap<>();
        for (Row r : rows) {
            assertThat(byId.put(r.getString(0), r.getString(1))).as("error of %s written twice", r.getString(0)).isNull();
        }
        return byId;
    }

    @Test
    void mixedStudiesThenResumeWritesEachStudyOnceAndEqualsTheInProcessScreener(@TempDir Path tmp) throws IOException {
        List<Path> low = TestStudies.phantom(tmp, "low", 90f, 1);
        List<Path> high = TestStudies.phantom(tmp, "high", 230f, 2);
        Path corrupt = TestStudies.corrupt(tmp, "corrupt_ct.nii.gz");
        Path missing = tmp.resolve("gone_ct.nii.gz");
        String real = TestStudies.realCt().toString();
        String realSeg = TestStudies.realSeg().toString();
        List<List<String>> all = List.of(
                List.of("real", real, realSeg, "totalsegmentator", "", "F"),
                List.of("low", "low_ct.nii.gz", "low_seg.nii.gz", "binary", "L1", ""), // relative to the list
                List.of("corrupt", corrupt.toString(), realSeg, "totalsegmentator", "", ""),
                List.of("high", high.get(0).toString(), high.get(1).toString(), "binary", "L1", "M"),
                List.of("missing", missing.toString(), realSeg, "totalsegmentator", "", ""),
                List.of("no-level", low.get(0).toString(), low.get(1).toString(), "binary", "", ""));
        Path out = tmp.resolve("out");
        long screenersBefore = ExecutorScreeners.created();

        // a partial first run: the first three studies
        Path partial = TestStudies.list(tmp.resolve("partial.csv"), all.subList(0, 3));
        BatchScreenSummary first = BatchScreening.builder().studies(partial).out(out).huThreshold(160).session(spark)
                .build().run();
        assertThat(first.studies()).isEqualTo(3);
        assertThat(first.screened()).isEqualTo(2);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.alreadyDone()).isZero();
        assertThat(first.exitCode()).isEqualTo(3);
        assertThat(first.master()).isEqualTo("local[2]");

        // the whole list: only the three new studies are screened
        Path full = TestStudies.list(tmp.resolve("studies.csv"), all);
        BatchScreenSummary second = BatchScreening.builder().studies(full).out(out).huThreshold(160).session(spark)
                .commitEvery(2).build().run(); // two rounds of commits
        assertThat(second.studies()).isEqualTo(6);
        assertThat(second.alreadyDone()).isEqualTo(3);
        assertThat(second.failedEarlier()).isEqualTo(1);
        assertThat(second.screened()).isEqualTo(1);
        assertThat(second.failed()).isEqualTo(2);
        assertThat(second.exitCode()).isEqualTo(3);

        Map<String, ScreeningReport> reports = reports(out);
        assertThat(reports).containsOnlyKeys("real", "low", "high");
        Map<String, String> errors = errors(out);
        assertThat(errors).containsOnlyKeys("corrupt", "missing", "no-level");
        assertThat(errors.get("corrupt")).contains("corrupt_ct.nii.gz");
        assertThat(errors.get("missing")).contains("gone_ct.nii.gz");
        assertThat(errors.get("no-level")).contains("needs the vertebra level");

        // each report is what the in-process screener (the `osteo screen` path) gives on the same study
        try (OsteoScreener screener = OsteoScreener.builder().huThreshold(160).build()) {
            Study realStudy = Study.of("real", VolumeIo.readVolume(Path.of(real)), VolumeIo.readLabels(Path.of(realSeg)),
                    LabelScheme.totalSegmentatorV2()).withSex(io.osteo.api.anatomy.Sex.FEMALE);
            assertThat(reports.get("real")).isEqualTo(screener.screen(realStudy));
            Study lowStudy = Study.of("low", VolumeIo.readVolume(low.get(0)), VolumeIo.readLabels(low.get(1)),
                    LabelScheme.binary(VertebraLevel.L1));
            assertThat(reports.get("low")).isEqualTo(screener.screen(lowStudy));
        }
        assertThat(reports.get("low").patient().decision().name()).isEqualTo("POSITIVE");
        assertThat(reports.get("high").patient().decision().name()).isEqualTo("NEGATIVE");

        // findings.parquet read back with Spark: the documented schema, one row per vertebra
        Dataset<Row> findings = spark.read().parquet(out.resolve("findings.parquet").toString());
        assertThat(findings.schema().fields()).extracting(StructField::name, StructField::dataType)
                .containsExactlyElementsOf(java.util.Arrays.stream(Findings.SCHEMA.fields())
                        .map(f -> org.assertj.core.groups.Tuple.tuple(f.name(), f.dataType())).toList());
        Map<String, Long> rowsPerStudy = findings.groupBy("study_id").count().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        assertThat(rowsPerStudy).containsOnly(Map.entry("real", 4L), Map.entry("low", 1L), Map.entry("high", 1L));
        Row l1 = findings.where("study_id = 'real' AND vertebra = 'L1'").collectAsList().get(0);
        assertThat(l1.<Double>getAs("trabecular_hu"))
                .isEqualTo(reports.get("real").finding(VertebraLevel.L1).orElseThrow().trabecularHu().meanHu());
        assertThat(l1.<String>getAs("screener_kind")).isEqualTo("hu-threshold");
        assertThat(l1.<Integer>getAs("position")).isEqualTo(13);
        // the HU screener has no training envelope: the out-of-distribution columns are present and empty
        assertThat(l1.getList(l1.fieldIndex("out_of_distribution"))).isEmpty();
        assertThat(l1.getList(l1.fieldIndex("study_out_of_distribution"))).isEqualTo(reports.get("real").outOfDistribution());
        Row t11 = findings.where("study_id = 'real' AND vertebra = 'T11'").collectAsList().get(0);
        assertThat(t11.<String>getAs("status")).isEqualTo("skipped");
        assertThat(t11.<String>getAs("skipped_reason")).isEqualTo("PARTIAL_AT_SCAN_EDGE");

        // a run killed after writing the findings of "high" but before its report: the rerun
        // screens "high" again, writes its report, and does not write its findings twice
        Path reportsDir = out.resolve("reports.jsonl");
        int removed = 0;
        try (var parts = Files.list(reportsDir)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                List<String> kept = Files.readAllLines(p).stream().filter(l -> !l.contains("\"studyId\":\"high\"")).toList();
                removed += Files.readAllLines(p).size() - kept.size();
                if (kept.size() < Files.readAllLines(p).size()) {
                    Files.write(p, kept);
                    Files.deleteIfExists(p.resolveSibling("." + p.getFileName() + ".crc")); // Hadoop's checksum of the old part
                }
            }
        }
        assertThat(removed).isEqualTo(1);
        BatchScreenSummary third = BatchScreening.builder().studies(full).out(out).huThreshold(160).session(spark)
                .build().run();
        assertThat(third.screened()).isEqualTo(1);
        assertThat(third.failed()).isZero();
        assertThat(third.alreadyDone()).isEqualTo(5);
        assertThat(reports(out)).containsOnlyKeys("real", "low", "high");
        assertThat(spark.read().parquet(out.resolve("findings.parquet").toString()).where("study_id = 'high'").count())
                .isEqualTo(1);

        // nothing left: a rerun adds nothing
        BatchScreenSummary fourth = BatchScreening.builder().studies(full).out(out).huThreshold(160).session(spark)
                .build().run();
        assertThat(fourth.screened() + fourth.failed()).isZero();
        assertThat(fourth.alreadyDone()).isEqualTo(6);
        assertThat(TestStudies.lines(reportsDir)).hasSize(3);
        assertThat(errors(out)).hasSize(3);

        // one screener for all tasks of this JVM, however many tasks and runs
        assertThat(ExecutorScreeners.created() - screenersBefore).isEqualTo(1);

        // other settings on the same folder are refused, not mixed in
        assertThatThrownBy(() -> BatchScreening.builder().studies(full).out(out).huThreshold(110).session(spark)
                .build().run()).isInstanceOf(InvalidInputException.class).hasMessageContaining("use another --out");
    }

    @Test
    void modelIsShippedToExecutorsAndReportsEqualTheInProcessScreener(@TempDir Path tmp) {
        Path model = TinyModel.write(tmp.resolve("model"));
        Path copy = Path.of(System.getProperty("java.io.tmpdir"),
                "osteo-model-" + io.osteo.spark.executor.ModelBundle.read(model).sha256());
        deleteTree(copy); // left by an earlier run of this test: the copy must come from this run's broadcast
        Path list = TestStudies.list(tmp.resolve("s.csv"), List.of(
                List.of("real", TestStudies.realCt().toString(), TestStudies.realSeg().toString(), "totalsegmentator", "", "M")));
        BatchScreenSummary s = BatchScreening.builder().studies(list).out(tmp.resolve("out")).model(model).device("cpu")
                .shipModel(true).session(spark).build().run();
        assertThat(s.screened()).isEqualTo(1);
        assertThat(s.exitCode()).isZero();
        assertThat(s.screener()).startsWith("model untrained-spark-test");
        ScreeningReport batch = reports(tmp.resolve("out")).get("real");
        try (OsteoScreener screener = OsteoScreener.builder().model(model).device("cpu").workers(2).build()) {
            Study study = Study.of("real", VolumeIo.readVolume(TestStudies.realCt()),
                    VolumeIo.readLabels(TestStudies.realSeg()), LabelScheme.totalSegmentatorV2())
                    .withSex(io.osteo.api.anatomy.Sex.MALE);
            // equal in everything, the "workers" setting included: one executor of local[2] runs 2 tasks at once
            assertThat(batch).isEqualTo(screener.screen(study));
        }
        assertThat(batch.vertebrae()).allSatisfy(f -> assertThat(f.probability()).isBetween(0.0, 1.0));
        // the executor built its screener from the shipped copy, not from the driver's folder
        assertThat(copy.resolve("osteoscreen-model.json")).isRegularFile();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBadListFailsTheJobWithAMessageNamingIt(@TempDir Path tmp) throws IOException {
        Path noSeg = tmp.resolve("noseg.csv");
        Files.writeString(noSeg, "study_id,ct\na,b.nii.gz\n");
        assertThatThrownBy(() -> BatchScreening.builder().studies(noSeg).out(tmp.resolve("o1")).huThreshold(160)
                .session(spark).build().run()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("noseg.csv").hasMessageContaining("no column 'seg'");
        Path dup = TestStudies.list(tmp.resolve("dup.csv"), List.of(List.of("a", "x", "y", "verse", "", ""),
                List.of("a", "x2", "y2", "verse", "", "")));
        assertThatThrownBy(() -> BatchScreening.builder().studies(dup).out(tmp.resolve("o2")).huThreshold(160)
                .session(spark).build().run()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'a' appears in rows 2 and 3");
        assertThatThrownBy(() -> BatchScreening.builder().studies(tmp.resolve("none.csv")).out(tmp.resolve("o3"))
                .huThreshold(160).session(spark).build().run()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("none.csv: no such file");
        assertThatThrownBy(() -> BatchScreening.builder().studies(dup).out(tmp.resolve("o4")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no model and no HU threshold");
    }

    @Test
    void taskSlotsFollowTheMaster() {
        org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf();
        assertThat(BatchScreening.taskSlotsPerExecutor(conf, "local[2]")).isEqualTo(2);
        assertThat(BatchScreening.taskSlotsPerExecutor(conf, "local")).isEqualTo(1);
        assertThat(BatchScreening.taskSlotsPerExecutor(conf, "local[*]")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(BatchScreening.taskSlotsPerExecutor(conf.clone().set("spark.executor.cores", "4"), "spark://h:7077"))
                .isEqualTo(4);
    }
}
