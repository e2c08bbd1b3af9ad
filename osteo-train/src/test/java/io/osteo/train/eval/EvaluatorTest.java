package io.osteo.train.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.api.metrics.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    static VertebraPrediction v(String patient, String site, VertebraLevel level, boolean positive, double p) {
        return new VertebraPrediction(patient, site, level, DxaDevice.HOLOGIC, positive, p, OptionalDouble.empty(),
                OptionalDouble.empty());
    }

    // Site A: P1 L1 (+, 0.9), P1 L2 (-, 0.7), P2 L1 (-, 0.4), P2 L2 (-, 0.3)
    // Site B: P3 L1 (+, 0.6), P3 L2 (+, 0.4), P4 L1 (-, 0.2), P4 L2 (-, 0.1)
    static List<VertebraPrediction> handExample() {
        return List.of(v("P1", "A", VertebraLevel.L1, true, 0.9), v("P1", "A", VertebraLevel.L2, false, 0.7),
                v("P2", "A", VertebraLevel.L1, false, 0.4), v("P2", "A", VertebraLevel.L2, false, 0.3),
                v("P3", "B", VertebraLevel.L1, true, 0.6), v("P3", "B", VertebraLevel.L2, true, 0.4),
                v("P4", "B", VertebraLevel.L1, false, 0.2), v("P4", "B", VertebraLevel.L2, false, 0.1));
    }

    static final Evaluator SMALL = Evaluator.builder().bootstrap(Bootstrap.builder().replicates(200).seed(1).build()).build();

    @Test
    void handComputedVertebraAndPatientMetricsPerSite() {
        EvaluationReport r = SMALL.evaluate(List.of(new MethodRun("m", 1, handExample())));
        assertThat(r.scopes()).containsExactly("overall", "site A", "site B");
        // overall vertebrae: threshold 0.5 -> TP 2 (0.9, 0.6), FP 1 (0.7), FN 1 (0.4), TN 4
        //   ACC 6/8, SEN 2/3, SPE 4/5, F1 4/6; AUC (5 + 4 + 3 + 0.5)/15 (tie at 0.4)
        MethodScores ov = r.row("m", "overall", EvaluationLevel.VERTEBRA);
        assertThat(value(ov, ClassificationMetric.ACC)).isCloseTo(0.75, within(1e-12));
        assertThat(value(ov, ClassificationMetric.SEN)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(value(ov, ClassificationMetric.SPE)).isCloseTo(0.8, within(1e-12));
        assertThat(value(ov, ClassificationMetric.F1)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(value(ov, ClassificationMetric.AUC)).isCloseTo(12.5 / 15, within(1e-12));
        // patients: P1 (+, 0.9), P2 (-, 0.4), P3 (+, 0.6), P4 (-, 0.2): all correct, AUC 1
        MethodScores op = r.row("m", "overall", EvaluationLevel.PATIENT);
        assertThat(op.units()).isEqualTo(4);
        assertThat(op.positives()).isEqualTo(2);
        assertThat(value(op, ClassificationMetric.ACC)).isEqualTo(1.0);
        assertThat(value(op, ClassificationMetric.AUC)).isEqualTo(1.0);
        // site A vertebrae: TP 1, FP 1, TN 2 -> ACC 3/4, SEN 1, SPE 2/3, F1 2/3, AUC 1
        MethodScores a = r.row("m", "site A", EvaluationLevel.VERTEBRA);
        assertThat(value(a, ClassificationMetric.SEN)).isEqualTo(1.0);
        assertThat(value(a, ClassificationMetric.SPE)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(value(a, ClassificationMetric.F1)).isCloseTo(2.0 / 3, within(1e-12));
        // site B vertebrae: TP 1 (0.6), FN 1 (0.4), TN 2 -> SEN 1/2, SPE 1, F1 2/3
        MethodScores b = r.row("m", "site B", EvaluationLevel.VERTEBRA);
        assertThat(value(b, ClassificationMetric.SEN)).isEqualTo(0.5);
        assertThat(value(b, ClassificationMetric.SPE)).isEqualTo(1.0);
        assertThat(value(b, ClassificationMetric.F1)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(a.versusReference()).isEmpty(); // the only method is the reference
    }

    @Test
    void severalSeedsAreAveraged() {
        List<VertebraPrediction> seed2 = new ArrayList<>();
        for (VertebraPrediction p : handExample()) {
            // second seed: everything predicted positive -> SEN 1, SPE 0
            seed2.add(v(p.patientId(), p.site(), p.level(), p.positive(), 0.95));
        }
        EvaluationReport r = SMALL.evaluate(List.of(new MethodRun("m", 1, handExample()), new MethodRun("m", 2, seed2)));
        MethodScores ov = r.row("m", "overall", EvaluationLevel.VERTEBRA);
        assertThat(ov.seeds()).containsExactly(1L, 2L);
        assertThat(value(ov, ClassificationMetric.SEN)).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
        assertThat(value(ov, ClassificationMetric.SPE)).isCloseTo((0.8 + 0) / 2, within(1e-12));
        assertThat(value(ov, ClassificationMetric.AUC)).isCloseTo((12.5 / 15 + 0.5) / 2, within(1e-12));
        assertThat(ov.perSeed().get(1).get(ClassificationMetric.SPE)).hasValue(0.0);
    }

    @Test
    void informativeMethodBeatsGuessingSignificantlyWithIntervals() {
        SplittableRandom random = new SplittableRandom(3);
        List<VertebraPrediction> good = new ArrayList<>();
        List<VertebraPrediction> guess = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String id = "P" + i;
            String site = i % 2 == 0 ? "A" : "B";
            for (VertebraLevel level : List.of(VertebraLevel.L1, VertebraLevel.L2, VertebraLevel.L3)) {
                boolean pos = random.nextDouble() < 0.3;
                double p = Math.min(1, Math.max(0, (pos ? 0.7 : 0.3) + 0.2 * random.nextGaussian()));
                good.add(v(id, site, level, pos, p));
                guess.add(v(id, site, level, pos, random.nextDouble()));
            }
        }
        EvaluationReport r = Evaluator.builder().bootstrap(Bootstrap.builder().replicates(300).seed(2).build())
                .scope("internal", Set.of("A")).build()
                .evaluate(List.of(new MethodRun("guess", 1, guess), new MethodRun("good", 1, good)));
        assertThat(r.referenceMethod()).isEqualTo("good");
        assertThat(r.scopes()).containsExactly("overall", "site A", "site B", "internal");
        MethodScores g = r.row("good", "overall", EvaluationLevel.VERTEBRA);
        MethodScores x = r.row("guess", "overall", EvaluationLevel.VERTEBRA);
        assertThat(value(g, ClassificationMetric.AUC)).isGreaterThan(0.85);
        assertThat(value(x, ClassificationMetric.AUC)).isBetween(0.4, 0.6);
        ConfidenceInterval ci = g.metric(ClassificationMetric.AUC).interval().orElseThrow();
        assertThat(value(g, ClassificationMetric.AUC)).isBetween(ci.lower(), ci.upper());
        assertThat(ci.upper() - ci.lower()).isBetween(0.01, 0.2);
        assertThat(x.versusReference().orElseThrow().pValue().getAsDouble()).isLessThan(1e-6);
        assertThat(x.versusReference().orElseThrow().n()).isEqualTo(450);
        assertThat(r.row("guess", "overall", EvaluationLevel.PATIENT).versusReference().orElseThrow().n()).isEqualTo(150);
        assertThat(r.row("good", "internal", EvaluationLevel.PATIENT).units()).isEqualTo(75);
    }

    @Test
    void perMethodThresholdsOverrideTheDefault() {
        EvaluationReport r = Evaluator.builder().bootstrap(Bootstrap.builder().replicates(50).seed(1).build())
                .threshold("own", 0.35).build()
                .evaluate(List.of(new MethodRun("default", 1, handExample()), new MethodRun("own", 1, handExample())));
        // at 0.35: positive 0.9 (+), 0.7 (-), 0.4 (-), 0.6 (+), 0.4 (+) -> TP 3, FP 2, TN 3, FN 0
        MethodScores own = r.row("own", "overall", EvaluationLevel.VERTEBRA);
        assertThat(value(own, ClassificationMetric.SEN)).isEqualTo(1.0);
        assertThat(value(own, ClassificationMetric.SPE)).isCloseTo(0.6, within(1e-12));
        MethodScores def = r.row("default", "overall", EvaluationLevel.VERTEBRA);
        assertThat(value(def, ClassificationMetric.SEN)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.thresholdOf("own")).isEqualTo(0.35);
        assertThat(r.thresholdOf("default")).isEqualTo(0.5);
        assertThat(ReportWriter.markdown(r, "t")).contains("Decision threshold 0.50 for the other methods; per method: own 0.350.");
    }

    @Test
    void perRunThresholdsAreAppliedPerSeedAndNamedInTheReport() {
        EvaluationReport r = Evaluator.builder().bootstrap(Bootstrap.builder().replicates(50).seed(1).build())
                .threshold("net", 2, 0.35).threshold("net", 1, 0.65).build()
                .evaluate(List.of(new MethodRun("net", 1, handExample()), new MethodRun("net", 2, handExample())));
        // seed 1 at 0.65: 0.9 (+), 0.7 (-) -> TP 1 of 3 positives; seed 2 at 0.35: TP 3 of 3 -> mean SEN 2/3
        MethodScores net = r.row("net", "overall", EvaluationLevel.VERTEBRA);
        assertThat(value(net, ClassificationMetric.SEN)).isCloseTo((1.0 / 3 + 1.0) / 2, within(1e-12));
        assertThat(r.runThresholds()).containsOnlyKeys("net");
        assertThat(r.runThresholds().get("net")).containsExactly(entry(1L, 0.65), entry(2L, 0.35));
        String md = ReportWriter.markdown(r, "t");
        assertThat(md).contains("Decision threshold per run, chosen on validation and stored with each model "
                + "(seeds in order): net 0.650/0.350.").doesNotContain("Decision threshold 0.50");
        assertThat(ReportWriter.json(r)).contains("\"runThresholds\"");
    }

    @Test
    void unmatchedUnitsAreRejectedByName() {
        List<VertebraPrediction> fewer = new ArrayList<>(handExample());
        fewer.remove(3);
        assertThatThrownBy(() -> SMALL.evaluate(List.of(new MethodRun("a", 1, handExample()), new MethodRun("b", 1, fewer))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing P2/L2");
        List<VertebraPrediction> twice = new ArrayList<>(handExample());
        twice.add(handExample().get(0));
        assertThatThrownBy(() -> SMALL.evaluate(List.of(new MethodRun("a", 1, twice))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("P1/L1 twice");
        assertThatThrownBy(() -> v("P1", "A", VertebraLevel.L1, true, 1.2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outside [0, 1]");
    }

    private static double value(MethodScores s, ClassificationMetric m) {
        return s.metric(m).value().getAsDouble();
    }
}
