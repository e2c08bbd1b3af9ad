package io.osteo.spark.input;

import io.osteo.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a study list with Spark: a CSV with a header (or a Parquet dataset, by a {@code .parquet}
 * name) with columns {@code study_id, ct, seg, label_scheme, level, sex}; {@code level} and
 * {@code sex} may be missing or empty. Column names are matched case-insensitively and with
 * surrounding blanks ignored; relative {@code ct}/{@code seg} paths are resolved against the list's
 * folder. A list with a blank or repeated study id is rejected as a whole (resume keys on the id).
 */
public final class StudyList {

    /** Columns a list must have. */
    public static final List<String> REQUIRED = List.of("study_id", "ct", "seg", "label_scheme");
    /** Columns a list may have. */
    public static final List<String> OPTIONAL = List.of("level", "sex");

    private StudyList() {}

    /**
     * The entries of the list at {@code file}, in file order.
     *
     * @throws InvalidInputException if the file is missing, lacks a column, or has blank/repeated ids
     */
    public static List<StudyEntry> read(SparkSession spark, Path file) {
        if (!Files.exists(file)) {
            throw new InvalidInputException("study list " + file + ": no such file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Dataset<Row> rows = name.endsWith(".parquet") ? spark.read().parquet(file.toString())
                : spark.read().option("header", "true").option("ignoreLeadingWhiteSpace", "true")
                        .option("ignoreTrailingWhiteSpace", "true").option("inferSchema", "false")
                        .option("mode", "FAILFAST").csv(file.toString());
        Map<String, String> columns = new HashMap<>();
        for (String c : rows.columns()) {
            columns.put(c.trim().toLowerCase(Locale.ROOT), c);
        }
        for (String c : REQUIRED) {
            if (!columns.containsKey(c)) {
                throw new InvalidInputException("study list " + file + " has no column '" + c + "' (columns: "
                        + Arrays.toString(rows.columns()) + "; expected " + REQUIRED + " and optionally " + OPTIONAL + ")");
            }
        }
        Path base = file.toAbsolutePath().getParent();
        List<StudyEntry> entries = new ArrayList<>();
        Map<String, Integer> firstRow = new HashMap<>();
        int rowNumber = 1; // the header is line 1
        for (Row r : rows.collectAsList()) {
            rowNumber++;
            String id = value(r, columns.get("study_id"));
            if (id == null) {
                throw new InvalidInputException("study list " + file + ": row " + rowNumber + " has no study_id");
            }
            Integer earlier = firstRow.putIfAbsent(id, rowNumber);
            if (earlier != null) {
                throw new InvalidInputException("study list " + file + ": study_id '" + id + "' appears in rows "
                        + earlier + " and " + rowNumber + " (ids must be unique: they key the resume of a rerun)");
            }
            entries.add(new StudyEntry(id, path(base, value(r, columns.get("ct"))),
                    path(base, value(r, columns.get("seg"))), value(r, columns.get("label_scheme")),
                    value(r, columns.get("level")), value(r, columns.get("sex"))));
        }
        return entries;
    }

    private static String value(Row r, String column) {
        if (column == null) {
            return null;
        }
        Object v = r.get(r.fieldIndex(column));
        String s = v == null ? null : v.toString().trim();
        return s == null || s.isEmpty() ? null : s;
    }

    private static String path(Path base, String p) {
        return p == null ? null : base.resolve(p).normalize().toString();
    }
}
