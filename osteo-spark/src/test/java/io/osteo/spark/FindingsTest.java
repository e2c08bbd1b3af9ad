package io.osteo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.spark.output.Findings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The findings rows carry the report's out-of-distribution reasons (per vertebra and per study). */
class FindingsTest {

    private static List<String> strings(Row row, String column) {
        Object value = row.get(Findings.SCHEMA.fieldIndex(column));
        return CollectionConverters.asJava((scala.collection.Seq<String>) value);
    }

    @Test
    void outOfDistributionReasonsReachEveryRow() {
        ScreeningReport screened;
        try (OsteoScreener screener = OsteoScreener.builder().huThreshold(160).build()) {
            screened = screener.screen(Study.of("real", VolumeIo.readVolume(TestStudies.realCt()),
                    VolumeIo.readLabels(TestStudies.realSeg()), LabelScheme.totalSegmentatorV2()));
        }
        assertThat(screened.vertebrae()).isNotEmpty();
        assertThat(screened.skipped()).isNotEmpty();
        // the HU screener has no training envelope: nothing is out of distribution, and the rows say so
        for (Row r : Findings.rows(screened)) {
            assertThat(strings(r, "out_of_distribution")).isEmpty();
            assertThat(strings(r, "study_out_of_distribution")).isEmpty();
        }

        // the same report as a model with an envelope would write it
        List<VertebraFinding> flagged = new ArrayList<>();
        for (VertebraFinding f : screened.vertebrae()) {
            flagged.add(new VertebraFinding(f.level(), f.labels(), f.probability(), f.decision(), f.estimatedBmd(),
                    f.estimatedTScore(), f.trabecularHu(), f.predictedLevel(), f.levelDisagreement(), f.unavailable(),
                    f.level() == VertebraLevel.L1 ? 0.8 : null,
                    f.level() == VertebraLevel.L1 ? List.of("patch mean HU 612 above the training range") : List.of()));
        }
        ScreeningReport report = new ScreeningReport(screened.schemaVersion(), screened.studyId(), screened.screener(),
                screened.settings(), screened.reportDevice(), screened.patient(), flagged, screened.skipped(), screened.notes(),
                screened.intendedUse(), List.of("slice thickness 5.0 mm outside the training range 0.8-3.0 mm"));

        List<Row> rows = Findings.rows(report);
        assertThat(rows).hasSize(flagged.size() + screened.skipped().size());
        for (Row r : rows) {
            assertThat(r.size()).isEqualTo(Findings.SCHEMA.size());
            assertThat(strings(r, "study_out_of_distribution"))
                    .containsExactly("slice thickness 5.0 mm outside the training range 0.8-3.0 mm");
            String vertebra = r.getString(Findings.SCHEMA.fieldIndex("vertebra"));
            Object probability = r.get(Findings.SCHEMA.fieldIndex("predicted_level_probability"));
            if (vertebra.equals("L1")) {
                assertThat(strings(r, "out_of_distribution")).containsExactly("patch mean HU 612 above the training range");
                assertThat(probability).isEqualTo(0.8);
            } else {
                assertThat(strings(r, "out_of_distribution")).isEmpty();
                assertThat(probability).isNull();
            }
        }
    }
}
