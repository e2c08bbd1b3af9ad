package io.osteo.benchmarks;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.Study;
import io.osteo.spark.BatchScreenSummary;
import io.osteo.spark.BatchScreening;
import io.osteo.spark.executor.ExecutorScreeners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of {@code batch-screen} on Spark: the same list of N studies (the real CT of
 * {@code ../shared/data/totalsegmentator/}, listed N times under distinct ids) screened at
 * {@code local[1]} and at {@code local[2]} into fresh output folders, after one warm-up run per
 * master; studies per second of the screening phase (screen + commit), the local[2]/local[1]
 * ratio, and the overhead per study against the in-process screener screening the same studies
 * (read + screen, one thread; PyTorch runs one intra-op thread per task, so that parallelism comes from
 * Spark's tasks). Screener: the HU baseline ({@code hu}) or an <b>untrained</b>
 * cpuSmall model ({@code model}: the compute cost of the CPU model; outputs meaningless).
 *
 * <p>Run from the repository root (the profile runs it with Spark's Java 17 options):
 * {@code ./mvnw -B -o -pl benchmarks -am -Pspark-scaling process-classes -Dspark.scaling.args="../shared 40 hu"}.
 * Prints one JSON line per screener.
 */
public final class SparkScalingBenchmark {
    private SparkScalingBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared").toAbsolutePath().normalize();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        String which = args.length > 2 ? args[2] : "hu";
        Path ct = shared.resolve("data/totalsegmentator/example_ct_sm.nii.gz");
        Path seg = shared.resolve("data/totalsegmentator/example_seg.nii.gz");
        Path work = Files.createTempDirectory("osteo-spark-bench");
        try {
            Path model = null;
            if (which.equals("model")) {
                model = ScreeningBenchmarkModels.untrainedCpuSmall(work.resolve("model"));
            }
            Path list = work.resolve("studies.csv");
            Path warm = work.resolve("warm.csv");
            StringBuilder sb = new StringBuilder("study_id,ct,seg,label_scheme,level,sex\n");
            for (int i = 0; i < n; i++) {
                sb.append(String.format(Locale.ROOT, "s%05d,%s,%s,totalsegmentator,,%s%n", i, ct, seg, i % 2 == 0 ? "F" : "M"));
            }
            Files.writeString(list, sb.toString());
            Files.writeString(warm, sb.substring(0, sb.indexOf("s00004")));

            // in-process: one screener, one thread, read + screen per study (what each Spark task does per row)
            double inProcessMs;
            try (OsteoScreener s = screener(model)) {
                for (int i = 0; i < 3; i++) {
                    screen(s, ct, seg, "warm" + i);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    screen(s, ct, seg, "s" + i);
                }
                inProcessMs = (System.nanoTime() - t0) / 1e6 / n;
            }

            double[] sps = new double[2];
            for (int k = 1; k <= 2; k++) {
                SparkSession spark = SparkSession.builder().master("local[" + k + "]").appName("spark-scaling")
                        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").config("spark.ui.showConsoleProgress", "false").getOrCreate();
                try {
                    run(spark, warm, work.resolve("warm-" + k), model);
                    BatchScreenSummary s = run(spark, list, work.resolve("out-" + k), model);
                    if (s.screened() != n) {
                        throw new IllegalStateException("local[" + k + "] screened " + s.screened() + " of " + n);
                    }
                    sps[k - 1] = s.studiesPerSecond();
                } finally {
                    spark.stop();
                    ExecutorScreeners.closeAll();
                }
            }
            double overheadMs = 1000 / sps[0] - inProcessMs;
            System.out.printf(Locale.ROOT, "{\"screener\":\"%s\",\"studies\":%d,\"inProcessMsPerStudy\":%.1f,"
                    + "\"local1StudiesPerSecond\":%.2f,\"local2StudiesPerSecond\":%.2f,\"ratio\":%.2f,"
                    + "\"overheadMsPerStudyAtLocal1\":%.1f,\"cores\":%d}%n", which, n, inProcessMs, sps[0], sps[1],
                    sps[1] / sps[0], overheadMs, Runtime.getRuntime().availableProcessors());
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static OsteoScreener screener(Path model) {
        OsteoScreener.Builder b = OsteoScreener.builder();
        return model == null ? b.huThreshold(160).build() : b.model(model).device("cpu").build();
    }

    private static void screen(OsteoScreener s, Path ct, Path seg, String id) {
        s.screen(Study.of(id, VolumeIo.readVolume(ct), VolumeIo.readLabels(seg), LabelScheme.totalSegmentatorV2()));
    }

    private static BatchScreenSummary run(SparkSession spark, Path list, Path out, Path model) {
        BatchScreening.Builder b = BatchScreening.builder().studies(list).out(out).session(spark);
        return (model == null ? b.huThreshold(160) : b.model(model).device("cpu")).build().run();
    }
}
