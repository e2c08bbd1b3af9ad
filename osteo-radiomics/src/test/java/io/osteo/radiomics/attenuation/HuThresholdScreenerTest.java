package io.osteo.radiomics.attenuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.AggregationRule;
import io.osteo.api.screening.Decision;
import io.osteo.api.screening.InvalidStudyException;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.SkipReason;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.roi.RealCt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HU baseline end to end on the real CT, built through the public builder (service loader). */
class HuThresholdScreenerTest {

    @Test
    void screensTheRealCtThroughTheBuilder() {
        try (OsteoScreener screener = OsteoScreener.builder().huThreshold(160).build()) {
            assertThat(screener).isInstanceOf(HuThresholdScreener.class);
            ScreeningReport r = screener.screen(RealCt.study());
            assertThat(r.vertebrae()).extracting(VertebraFinding::level)
                    .containsExactly(VertebraLevel.T12, VertebraLevel.L1, VertebraLevel.L2);
            assertThat(r.skipped()).singleElement().satisfies(s -> {
                assertThat(s.level()).isEqualTo(VertebraLevel.T11);
                assertThat(s.reason()).isEqualTo(SkipReason.PARTIAL_AT_SCAN_EDGE);
            });
            VertebraFinding l1 = r.finding(VertebraLevel.L1).orElseThrow();
            double hu = l1.trabecularHu().meanHu();
            assertThat(hu).isBetween(50.0, 400.0);
            assertThat(l1.decision()).isEqualTo(hu <= 160 ? Decision.POSITIVE : Decision.NEGATIVE);
            assertThat(r.finding(VertebraLevel.T12).orElseThrow().decision()).isEqualTo(Decision.NOT_ASSESSED);
            assertThat(r.patient().decision()).isEqualTo(l1.decision());
            assertThat(r.patient().assessed()).containsExactly(VertebraLevel.L1);
            assertThat(r.intendedUse().coveredLevels()).containsExactly(VertebraLevel.L1);
            assertThat(r.intendedUse().notCovered()).anyMatch(s -> s.startsWith("T11 (PARTIAL_AT_SCAN_EDGE"));
            assertThat(l1.probability()).isNull();
            assertThat(l1.unavailable()).containsKeys("probability", "estimatedBmd", "estimatedTScore", "predictedLevel");
            assertThat(r.settings()).containsEntry("huThreshold", "160.0").containsEntry("aggregation", "any-positive");

            String json = r.toJson();
            assertThat(json).doesNotContain("NaN").doesNotContain("Infinity").contains("\"schemaVersion\": \"1.1\"");
            assertThat(ScreeningReportJson.fromJson(json)).isEqualTo(r);
        }
    }

    @Test
    void thresholdDecidesOnTheMeasuredHu() {
        double l1 = HuThresholdScreener.withDefaults().screen(RealCt.study()).finding(VertebraLevel.L1).orElseThrow()
                .trabecularHu().meanHu();
        try (OsteoScreener below = OsteoScreener.builder().huThreshold(l1 - 1).build();
                OsteoScreener above = OsteoScreener.builder().huThreshold(l1 + 1).build()) {
            assertThat(below.screen(RealCt.study()).patient().decision()).isEqualTo(Decision.NEGATIVE);
            assertThat(above.screen(RealCt.study()).patient().decision()).isEqualTo(Decision.POSITIVE);
        }
    }

    @Test
    void withoutL1TheNearestLevelIsTheIndexTiesGoingCaudal() {
        assertThat(HuThresholdScreener.indexLevel(List.of(VertebraLevel.T12, VertebraLevel.L2))).isEqualTo(VertebraLevel.L2);
        assertThat(HuThresholdScreener.indexLevel(List.of(VertebraLevel.T9, VertebraLevel.L4))).isEqualTo(VertebraLevel.L4);
        assertThat(HuThresholdScreener.indexLevel(List.of(VertebraLevel.T12, VertebraLevel.L1))).isEqualTo(VertebraLevel.L1);
        assertThat(HuThresholdScreener.indexLevel(List.of())).isNull();

        // the real CT with L1 relabelled as background: L2 becomes the index level
        int[] labels = RealCt.labels().toArray();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 31) {
                labels[i] = 0;
            }
        }
        Study noL1 = Study.of("no-L1", RealCt.ct(), LabelMap.wrap(RealCt.labels().geometry(), labels),
                LabelScheme.totalSegmentatorV2());
        ScreeningReport r = HuThresholdScreener.withDefaults().screen(noL1);
        assertThat(r.patient().assessed()).containsExactly(VertebraLevel.L2);
        assertThat(r.notes()).anyMatch(n -> n.contains("index level is L2"));
    }

    @Test
    void aggregationRuleIsPluggable() {
        try (OsteoScreener s = OsteoScreener.builder().huThreshold(400).aggregation(AggregationRule.atLeast(2)).build()) {
            // only the index vertebra is assessed by the baseline: one positive is not enough for "at least 2"
            ScreeningReport r = s.screen(RealCt.study());
            assertThat(r.patient().rule()).isEqualTo("at-least-2-positive");
            assertThat(r.patient().decision()).isEqualTo(Decision.NEGATIVE);
        }
    }

    @Test
    void badInputFailsBeforeScreeningWithTypedErrors() {
        Volume ct = RealCt.ct();
        float[] v = ct.toArray();
        v[ct.geometry().index(5, 6, 7)] = Float.NaN;
        assertThatThrownBy(() -> Study.of("nan", Volume.wrap(ct.geometry(), v), RealCt.labels(),
                LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("(5, 6, 7)").hasMessageContaining("nan");
    }

    @Test
    void thresholdsOutsideThePhysicalRangeAreRefused() {
        assertThatThrownBy(() -> OsteoScreener.builder().huThreshold(-160))
                .isInstanceOf(io.osteo.api.InvalidInputException.class).hasMessageContaining("-160")
                .hasMessageContaining("physical range");
        assertThatThrownBy(() -> OsteoScreener.builder().huThreshold(1600)).hasMessageContaining("0..400 HU");
    }
}
