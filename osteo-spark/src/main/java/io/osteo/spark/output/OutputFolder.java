package io.osteo.spark.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The output folder of a batch screening and what earlier runs left in it. Three Spark datasets
 * (folders of part files, appended to by every run, each write committed by Spark's file output
 * committer, so a killed write leaves no visible part):
 * <ul>
 *   <li>{@code reports.jsonl/}: text, one screening report per line (the JSON of {@code osteo screen}, on one line);</li>
 *   <li>{@code findings.parquet/}: one row per vertebra, schema {@link Findings#SCHEMA};</li>
 *   <li>{@code errors.csv/}: CSV with header {@code study_id,error}.</li>
 * </ul>
 * A study is done when it is in {@code reports.jsonl} or {@code errors.csv}; findings are written
 * before both, and findings of a study that is not done (a run killed between the writes) are not
 * written again. {@code batch-screen.json} records the screener settings; a rerun must match them.
 */
public final class OutputFolder {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** Columns of {@code errors.csv}. */
    public static final org.apache.spark.sql.types.StructType ERRORS = new org.apache.spark.sql.types.StructType()
            .add("study_id", "string").add("error", "string");

    private final Path root;

    public OutputFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path reports() {
        return root.resolve("reports.jsonl");
    }

    public Path findings() {
        return root.resolve("findings.parquet");
    }

    public Path errors() {
        return root.resolve("errors.csv");
    }

    public Path manifest() {
        return root.resolve("batch-screen.json");
    }

    /**
     * Creates the folder and its manifest on the first run; on a rerun checks that the screener
     * settings are the ones the folder was started with.
     *
     * @throws InvalidInputException if the folder is a file, or holds results of other settings
     */
    public void claim(Map<String, String> settings) {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new InvalidInputException("output " + root + " is a file, not a folder");
        }
        try {
            Files.createDirectories(root);
            if (Files.exists(manifest())) {
                Map<String, String> earlier = GSON.fromJson(Files.readString(manifest()),
                        new TypeToken<Map<String, String>>() {}.getType());
                if (!settings.equals(earlier)) {
                    throw new InvalidInputException("output " + root + " holds results screened with " + earlier
                            + ", not with " + settings + ": use another --out, or the same settings to resume");
                }
            } else {
                Path tmp = Files.createTempFile(root, ".batch-screen", ".json");
                Files.writeString(tmp, GSON.toJson(settings), StandardCharsets.UTF_8);
                Files.move(tmp, manifest(), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new OsteoException("output " + root + " could not be prepared: " + e.getMessage(), e);
        }
    }

    /** Ids of the studies in {@code reports.jsonl}. */
    public Set<String> reported(SparkSession spark) {
        if (!committed(reports())) {
            return Set.of();
        }
        return ids(spark.read().text(reports().toString())
                .select(functions.get_json_object(functions.col("value"), "$.studyId").as("study_id")));
    }

    /** Ids of the studies in {@code errors.csv}. */
    public Set<String> failed(SparkSession spark) {
        if (!committed(errors())) {
            return Set.of();
        }
        return ids(spark.read().option("header", "true").schema(ERRORS).csv(errors().toString()).select("study_id"));
    }

    /** Ids of the studies with rows in {@code findings.parquet}. */
    public Set<String> withFindings(SparkSession spark) {
        if (!committed(findings())) {
            return Set.of();
        }
        return ids(spark.read().parquet(findings().toString()).select("study_id"));
    }

    /** Appends {@code rows} to {@code dataset} in the given format (text, parquet, csv). */
    public static void append(Dataset<Row> rows, Path dataset, String format) {
        var w = rows.write().mode(SaveMode.Append);
        switch (format) {
            case "text" -> w.text(dataset.toString());
            case "parquet" -> w.parquet(dataset.toString());
            case "csv" -> w.option("header", "true").csv(dataset.toString());
            default -> throw new IllegalArgumentException(format);
        }
    }

    private static boolean committed(Path dataset) {
        return Files.isRegularFile(dataset.resolve("_SUCCESS"));
    }

    private static Set<String> ids(Dataset<Row> column) {
        List<Row> rows = column.where(functions.col("study_id").isNotNull()).distinct().collectAsList();
        Set<String> ids = new HashSet<>(rows.size() * 2);
        for (Row r : rows) {
            ids.add(r.getString(0));
        }
        return ids;
    }
}
