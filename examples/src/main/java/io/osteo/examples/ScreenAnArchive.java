package io.osteo.examples;

import io.osteo.spark.BatchScreenSummary;
import io.osteo.spark.BatchScreening;
import java.nio.file.Path;

/**
 * Screens a list of studies on Spark from Java (the README's "Screen an archive" snippet): the
 * HU baseline on every study of {@code studies.csv}, embedded {@code local[*]}, results in
 * {@code out/}. The JVM needs Spark's Java 17 options ({@code io.osteo.spark.SparkJvm#options()}).
 */
public final class ScreenAnArchive {
    private ScreenAnArchive() {}

    public static void main(String[] args) {
        // --- README snippet ---
        BatchScreenSummary summary = BatchScreening.builder()
                .studies(Path.of("studies.csv"))   // study_id,ct,seg,label_scheme,level,sex
                .out(Path.of("out"))               // reports.jsonl/, findings.parquet/, errors.csv/
                .huThreshold(160)                  // or .model(Path.of("model"))
                .master("local[*]")                // or spark://host:7077; default: spark-submit's
                .build()
                .run();
        System.out.println(summary.toJson());     // screened, failed, alreadyDone, studiesPerSecond ...
        System.exit(summary.exitCode());           // 0 all screened, 3 some failed
        // --- end of snippet ---
    }
}
