package io.osteo.spark.executor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import io.osteo.api.OsteoException;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.spark.input.StudyEntry;
import io.osteo.spark.output.Findings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The task of batch screening: screens the studies of one partition, one after the other, with
 * this JVM's shared screener ({@link ExecutorScreeners}), and turns each into one result row of
 * {@link #SCHEMA}: the report as one-line JSON and its findings, or the error that stopped the
 * study. A bad study (missing or corrupt file, unusable label map, bad list entry) never fails the
 * task; a screener that cannot be created does (the job then fails: nothing could be screened).
 */
public final class ScreenPartition implements FlatMapFunction<Iterator<StudyEntry>, Row> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScreenPartition.class);
    private static final Gson ONE_LINE = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /** Result row: study_id, report (one-line JSON or null), error (message or null), findings. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("study_id", DataTypes.StringType, false),
        DataTypes.createStructField("report", DataTypes.StringType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true),
        DataTypes.createStructField("findings", DataTypes.createArrayType(Findings.SCHEMA, false), false),
    });

    private final ScreenerSettings settings;
    private final Broadcast<ModelBundle> bundle;

    /**
     * @param settings the screener every task uses
     * @param bundle the model for executors that cannot read the driver's path, or null
     */
    public ScreenPartition(ScreenerSettings settings, Broadcast<ModelBundle> bundle) {
        this.settings = settings;
        this.bundle = bundle;
    }

    @Override
    public Iterator<Row> call(Iterator<StudyEntry> studies) {
        OsteoScreener screener = ExecutorScreeners.get(settings, () -> bundle.value());
        List<Row> out = new ArrayList<>();
        while (studies.hasNext()) {
            out.add(screen(screener, studies.next()));
        }
        return out.iterator();
    }

    static Row screen(OsteoScreener screener, StudyEntry entry) {
        try {
            ScreeningReport report = screener.screen(entry.toStudy());
            String json = ONE_LINE.toJson(JsonParser.parseString(report.toJson()));
            return RowFactory.create(entry.studyId(), json, null,
                    CollectionConverters.asScala(Findings.rows(report)).toSeq());
        } catch (OsteoException e) {
            return failed(entry, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("study {} failed with an unexpected error", entry.studyId(), e);
            return failed(entry, "study '" + entry.studyId() + "': " + e);
        }
    }

    private static Row failed(StudyEntry entry, String message) {
        String m = message == null ? "unknown error" : message.replaceAll("[\\r\\n]+", " ");
        return RowFactory.create(entry.studyId(), null, m, CollectionConverters.asScala(List.<Row>of()).toSeq());
    }
}
