package io.osteo.spark.output;

import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.VertebraFinding;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rows of {@code findings.parquet}: one per vertebra of a screening report, screened or
 * skipped. Schema (all nullable unless noted):
 *
 * <table>
 * <caption>findings.parquet columns</caption>
 * <tr><th>column</th><th>type</th><th>meaning</th></tr>
 * <tr><td>study_id</td><td>string, not null</td><td>the study's id from the list</td></tr>
 * <tr><td>vertebra</td><td>string, not null</td><td>T1..L6, or the anatomical name of a skipped vertebra outside them (T13)</td></tr>
 * <tr><td>position</td><td>int</td><td>1..18 (T1 = 1, L1 = 13); null outside T1..L6</td></tr>
 * <tr><td>status</td><td>string, not null</td><td>screened or skipped</td></tr>
 * <tr><td>decision</td><td>string</td><td>POSITIVE, NEGATIVE, NOT_ASSESSED; null when skipped</td></tr>
 * <tr><td>probability</td><td>double</td><td>model probability of osteoporosis 0..1 (null for the HU baseline)</td></tr>
 * <tr><td>estimated_bmd</td><td>double</td><td>g/cm^2 in the report device's scale</td></tr>
 * <tr><td>estimated_t_score</td><td>double</td><td>T-score estimate</td></tr>
 * <tr><td>trabecular_hu</td><td>double</td><td>mean HU of the eroded vertebral body</td></tr>
 * <tr><td>predicted_level</td><td>string</td><td>level the model believes it sees</td></tr>
 * <tr><td>level_disagreement</td><td>boolean</td><td>predicted_level differs from the label map</td></tr>
 * <tr><td>predicted_level_probability</td><td>double</td><td>the model's probability of predicted_level, 0..1</td></tr>
 * <tr><td>out_of_distribution</td><td>array of string, not null</td><td>each way this vertebra's input lies
 *     outside the model's training envelope (empty: inside, skipped, or a screener without an envelope)</td></tr>
 * <tr><td>study_out_of_distribution</td><td>array of string, not null</td><td>the same for the study as a whole
 *     (voxel size, slice thickness); repeated on each of its rows so that a filter needs no join</td></tr>
 * <tr><td>skipped_reason</td><td>string</td><td>SkipReason of a skipped vertebra</td></tr>
 * <tr><td>skipped_detail</td><td>string</td><td>its human-readable detail</td></tr>
 * <tr><td>patient_decision</td><td>string, not null</td><td>the study's patient-level decision</td></tr>
 * <tr><td>report_device</td><td>string, not null</td><td>DXA scale of BMD and T-score</td></tr>
 * <tr><td>screener_kind, screener_name, screener_version, compute_device</td><td>string, not null</td><td>who screened</td></tr>
 * </table>
 */
public final class Findings {

    /** The Spark schema of one row. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("study_id", DataTypes.StringType, false),
        DataTypes.createStructField("vertebra", DataTypes.StringType, false),
        DataTypes.createStructField("position", DataTypes.IntegerType, true),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("decision", DataTypes.StringType, true),
        DataTypes.createStructField("probability", DataTypes.DoubleType, true),
        DataTypes.createStructField("estimated_bmd", DataTypes.DoubleType, true),
        DataTypes.createStructField("estimated_t_score", DataTypes.DoubleType, true),
        DataTypes.createStructField("trabecular_hu", DataTypes.DoubleType, true),
        DataTypes.createStructField("predicted_level", DataTypes.StringType, true),
        DataTypes.createStructField("level_disagreement", DataTypes.BooleanType, true),
        DataTypes.createStructField("predicted_level_probability", DataTypes.DoubleType, true),
        DataTypes.createStructField("out_of_distribution", DataTypes.createArrayType(DataTypes.StringType), false),
        DataTypes.createStructField("study_out_of_distribution", DataTypes.createArrayType(DataTypes.StringType), false),
        DataTypes.createStructField("skipped_reason", DataTypes.StringType, true),
        DataTypes.createStructField("skipped_detail", DataTypes.StringType, true),
        DataTypes.createStructField("patient_decision", DataTypes.StringType, false),
        DataTypes.createStructField("report_device", DataTypes.StringType, false),
        DataTypes.createStructField("screener_kind", DataTypes.StringType, false),
        DataTypes.createStructField("screener_name", DataTypes.StringType, false),
        DataTypes.createStructField("screener_version", DataTypes.StringType, false),
        DataTypes.createStructField("compute_device", DataTypes.StringType, false),
    });

    private Findings() {}

    /** The rows of {@code report}: its screened vertebrae cranial to caudal, then the skipped ones. */
    public static List<Row> rows(ScreeningReport report) {
        List<Row> rows = new ArrayList<>();
        for (VertebraFinding f : report.vertebrae()) {
            rows.add(row(report, f.level().name(), f.level().position(), "screened", f.decision().name(),
                    f.probability(), f.estimatedBmd(), f.estimatedTScore(),
                    f.trabecularHu() == null ? null : f.trabecularHu().meanHu(),
                    f.predictedLevel() == null ? null : f.predictedLevel().name(), f.levelDisagreement(),
                    f.predictedLevelProbability(), f.outOfDistribution(), null, null));
        }
        for (SkippedVertebra s : report.skipped()) {
            rows.add(row(report, s.vertebra(), s.level() == null ? null : s.level().position(), "skipped", null, null,
                    null, null, null, null, null, null, List.of(), s.reason().name(), s.detail()));
        }
        return rows;
    }

    private static scala.collection.immutable.Seq<String> strings(List<String> values) {
        return CollectionConverters.asScala(values == null ? List.<String>of() : values).toSeq();
    }

    private static Row row(ScreeningReport r, String vertebra, Integer position, String status, String decision,
            Double probability, Double bmd, Double tScore, Double hu, String predicted, Boolean disagreement,
            Double predictedProbability, List<String> outOfDistribution, String skipReason, String skipDetail) {
        return RowFactory.create(r.studyId(), vertebra, position, status, decision, probability, bmd, tScore, hu,
                predicted, disagreement, predictedProbability, strings(outOfDistribution), strings(r.outOfDistribution()),
                skipReason, skipDetail, r.patient().decision().name(), r.reportDevice().name(),
                r.screener().kind(), r.screener().name(), r.screener().version(), r.screener().computeDevice());
    }
}
