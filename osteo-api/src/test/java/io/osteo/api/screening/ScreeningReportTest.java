package io.osteo.api.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScreeningReportTest {

    private static VertebraFinding finding(VertebraLevel level, Decision decision, double p) {
        return new VertebraFinding(level, List.of(31), p, decision, 0.81, -2.4,
                new TrabecularHu(121.5, 30.2, 118, 400, 3), level, false, Map.of());
    }

    private static ScreeningReport report(List<VertebraFinding> findings) {
        return new ScreeningReport(ScreeningReport.SCHEMA_VERSION, "p1",
                new ScreenerIdentity("model", "osteo-demo", "1", "cpu()"), Map.of("threshold", "0.5"),
                DxaDevice.GE_LUNAR, AggregationRule.anyPositive().aggregate(findings), findings,
                List.of(new SkippedVertebra("T11", VertebraLevel.T11, List.of(33), SkipReason.PARTIAL_AT_SCAN_EDGE, "cut")),
                List.of("note"), IntendedUse.standard(List.of(VertebraLevel.L1), List.of("T11")));
    }

    @Test
    void jsonRoundTripKeepsEveryFieldAndWritesExplicitNulls() {
        VertebraFinding noModel = new VertebraFinding(VertebraLevel.L2, List.of(30), null, Decision.NOT_ASSESSED, null,
                null, new TrabecularHu(130, 20, 129, 300, 3), null, null,
                Map.of("probability", "no model", "estimatedBmd", "no model", "estimatedTScore", "no model",
                        "predictedLevel", "no model"));
        ScreeningReport r = report(List.of(finding(VertebraLevel.L1, Decision.POSITIVE, 0.8), noModel));
        String json = ScreeningReportJson.toJson(r);
        assertThat(json).contains("\"probability\": null").contains("\"reportDevice\": \"GE_LUNAR\"")
                .contains("\"reason\": \"PARTIAL_AT_SCAN_EDGE\"").contains("Research use only");
        assertThat(ScreeningReportJson.fromJson(json)).isEqualTo(r);
    }

    @Test
    void nanAndUnexplainedNullsAreRejected() {
        assertThatThrownBy(() -> new VertebraFinding(VertebraLevel.L1, List.of(), 0.5, Decision.POSITIVE, Double.NaN,
                -1.0, null, null, null, Map.of("trabecularHu", "x", "predictedLevel", "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("estimatedBmd is NaN");
        assertThatThrownBy(() -> new VertebraFinding(VertebraLevel.L1, List.of(), null, Decision.POSITIVE, 1.0,
                -1.0, new TrabecularHu(1, 1, 1, 1, 1), VertebraLevel.L1, false, Map.of()))
                .hasMessageContaining("probability is absent without a reason");
        assertThatThrownBy(() -> new TrabecularHu(Double.NaN, 1, 1, 3, 3)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> finding(VertebraLevel.L1, Decision.POSITIVE, 1.5)).hasMessageContaining("outside 0..1");
    }

    @Test
    void readerRejectsOtherSchemaVersionsAndGarbage() {
        String json = ScreeningReportJson.toJson(report(List.of(finding(VertebraLevel.L1, Decision.NEGATIVE, 0.1))));
        assertThatThrownBy(() -> ScreeningReportJson.fromJson(json.replace("\"" + ScreeningReport.SCHEMA_VERSION + "\"", "\"2.0\"")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("schemaVersion 2.0");
        assertThatThrownBy(() -> ScreeningReportJson.fromJson("[1,2")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anyPositiveAndAtLeastK() {
        List<VertebraFinding> f = List.of(finding(VertebraLevel.T12, Decision.NEGATIVE, 0.2),
                finding(VertebraLevel.L1, Decision.POSITIVE, 0.7), finding(VertebraLevel.L2, Decision.NOT_ASSESSED, 0.5));
        PatientResult any = AggregationRule.anyPositive().aggregate(f);
        assertThat(any.decision()).isEqualTo(Decision.POSITIVE);
        assertThat(any.drivenBy()).containsExactly(VertebraLevel.L1);
        assertThat(any.assessed()).containsExactly(VertebraLevel.T12, VertebraLevel.L1);
        PatientResult two = AggregationRule.atLeast(2).aggregate(f);
        assertThat(two.decision()).isEqualTo(Decision.NEGATIVE);
        assertThat(two.drivenBy()).containsExactly(VertebraLevel.T12, VertebraLevel.L1);
        assertThat(AggregationRule.anyPositive().aggregate(List.of()).decision()).isEqualTo(Decision.NOT_ASSESSED);
        assertThatThrownBy(() -> AggregationRule.atLeast(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void builderValidatesUpFront() {
        assertThatThrownBy(() -> OsteoScreener.builder().build()).hasMessageContaining("no model and no HU threshold");
        assertThatThrownBy(() -> OsteoScreener.builder().huThreshold(110).model(java.nio.file.Path.of("m")).build())
                .hasMessageContaining("either a model or an HU threshold");
        assertThatThrownBy(() -> OsteoScreener.builder().device("tpu")).hasMessageContaining("'tpu'");
        assertThatThrownBy(() -> OsteoScreener.builder().operatingThreshold(1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> OsteoScreener.builder().workers(0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> OsteoScreener.builder().reportDevice(DxaDevice.UNKNOWN))
                .isInstanceOf(InvalidInputException.class);
        // osteo-api alone has no implementation on its class path
        assertThatThrownBy(() -> OsteoScreener.builder().huThreshold(110).build())
                .isInstanceOf(OsteoException.class).hasMessageContaining("osteo-radiomics");
    }
}
