package io.osteo.train.eval.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.metrics.ConfidenceInterval;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.VertebraPrediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimsAnalysisTest {

    @TempDir
    Path dir;

    private static final ClaimsAnalysis ANALYSIS = ClaimsAnalysis.builder()
            .bootstrap(Bootstrap.builder().replicates(400).seed(3).build())
            .scope("internal test", Set.of("A", "B")).scope("external test", Set.of("D")).build();

    static VertebraPrediction v(String patient, String site, VertebraLevel level, boolean positive, double p) {
        return new VertebraPrediction(patient, site, level, DxaDevice.HOLOGIC, positive, p, OptionalDouble.empty(),
                OptionalDouble.empty());
    }

    /**
     * Sites A, B: 4 patients, 8 vertebrae, AUC 12.5/15 (EvaluatorTest's hand example); site D: 20 patients
     * with one positive and one negative vertebra each, scores from {@code dScore}.
     */
    static List<VertebraPrediction> cohort(double[] internal, java.util.function.BiFunction<Integer, Boolean, Double> dScore) {
        List<VertebraPrediction> out = new ArrayList<>(List.of(
                v("P1", "A", VertebraLevel.L1, true, internal[0]), v("P1", "A", VertebraLevel.L2, false, internal[1]),
                v("P2", "A", VertebraLevel.L1, false, internal[2]), v("P2", "A", VertebraLevel.L2, false, internal[3]),
                v("P3", "B", VertebraLevel.L1, true, internal[4]), v("P3", "B", VertebraLevel.L2, true, internal[5]),
                v("P4", "B", VertebraLevel.L1, false, internal[6]), v("P4", "B", VertebraLevel.L2, false, internal[7])));
        for (int i = 0; i < 20; i++) {
            out.add(v("D" + i, "D", VertebraLevel.L1, true, dScore.apply(i, true)));
            out.add(v("D" + i, "D", VertebraLevel.L2, false, dScore.apply(i, false)));
        }
        return out;
    }

    static final double[] HAND = {0.9, 0.7, 0.4, 0.3, 0.6, 0.4, 0.2, 0.1}; // AUC (5 + 4 + 3 + 0.5) / 15
    static final double[] PERFECT = {0.9, 0.3, 0.2, 0.1, 0.8, 0.7, 0.2, 0.1}; // every positive above every negative

    @Test
    void identicalMethodsGiveExactlyZeroWithAZeroIntervalAndAreRefuted() {
        SplittableRandom r = new SplittableRandom(1);
        double[] d = new double[40];
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble();
        List<VertebraPrediction> same = cohort(HAND, (i, pos) -> d[2 * i + (pos ? 0 : 1)]);
        ClaimsReport report = ANALYSIS.analyse(List.of(new MethodRun("a", 1, same), new MethodRun("b", 1, same)),
                List.of(Claim.of("no change", "a", "b")));
        for (ClaimResult c : report.results()) {
            assertThat(c.difference()).isEqualTo(0.0);
            assertThat(c.interval().orElseThrow().lower()).isEqualTo(0.0);
            assertThat(c.interval().orElseThrow().upper()).isEqualTo(0.0);
            assertThat(c.verdict()).isEqualTo(Verdict.REFUTED);
            assertThat(c.reason()).isEqualTo("CI inside +/-0.0100");
        }
    }

    @Test
    void aMethodBetterOnEveryPatientIsSupportedWithTheHandComputedDifference() {
        // external: "good" ranks each patient's positive above their negative (score 0.6 + i/100 vs 0.4 - i/100,
        // so also across patients: AUC 1); "weak" scores the positive of patient i at i/40 and the negative at
        // 0.5 + i/40 - 0.26, i.e. inverted within each patient
        List<VertebraPrediction> good = cohort(PERFECT, (i, pos) -> pos ? 0.6 + i / 100.0 : 0.4 - i / 100.0);
        List<VertebraPrediction> weak = cohort(HAND, (i, pos) -> pos ? i / 40.0 : 0.24 + i / 40.0);
        ClaimsReport report = ANALYSIS.analyse(List.of(new MethodRun("good", 1, good), new MethodRun("weak", 1, weak)),
                List.of(Claim.of("better", "good", "weak"), Claim.of("worse", "weak", "good")));
        ClaimResult internal = report.results().get(0);
        assertThat(internal.scope()).isEqualTo("internal test");
        assertThat(internal.vertebrae()).isEqualTo(8);
        assertThat(internal.patients()).isEqualTo(4);
        assertThat(internal.minuendAuc()).isEqualTo(1.0);
        assertThat(internal.subtrahendAuc()).isCloseTo(12.5 / 15, within(1e-12));
        assertThat(internal.difference()).isCloseTo(2.5 / 15, within(1e-12));
        ClaimResult external = report.results().get(1);
        // weak external AUC by hand: positive i (i/40) beats negative j (0.24 + j/40) iff i - j > 9.6, i.e.
        // i - j >= 10: sum over i = 10..19 of (i - 9) = 55 pairs of 400
        assertThat(external.subtrahendAuc()).isCloseTo(55 / 400.0, within(1e-12));
        assertThat(external.difference()).isCloseTo(1 - 55 / 400.0, within(1e-12));
        assertThat(external.interval().orElseThrow().lower()).isGreaterThan(0.5);
        assertThat(external.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(external.reason()).isEqualTo("CI above 0");
        // the reverse claim: interval below 0 -> refuted
        ClaimResult reverse = report.results().get(3);
        assertThat(reverse.difference()).isCloseTo(-(1 - 55 / 400.0), within(1e-12));
        assertThat(reverse.interval().orElseThrow().upper()).isLessThan(0);
        assertThat(reverse.verdict()).isEqualTo(Verdict.REFUTED);
        assertThat(reverse.reason()).isEqualTo("CI below 0");
        // the internal interval: 4 patients, some resamples lack a class and are dropped, the rest are >= 0
        ConfidenceInterval ci = internal.interval().orElseThrow();
        assertThat(ci.lower()).isGreaterThanOrEqualTo(0.0);
        assertThat(ci.undefinedReplicates()).isPositive();
    }

    @Test
    void aucsAreAveragedOverSeedsBeforeTheDifference() {
        List<VertebraPrediction> perfect = cohort(PERFECT, (i, pos) -> pos ? 0.9 : 0.1);
        List<VertebraPrediction> hand = cohort(HAND, (i, pos) -> pos ? 0.9 : 0.1);
        ClaimsReport report = ANALYSIS.analyse(List.of(new MethodRun("m", 1, perfect), new MethodRun("m", 2, hand),
                new MethodRun("ref", 7, hand)), List.of(Claim.of("seeds", "m", "ref")));
        ClaimResult c = report.results().get(0);
        assertThat(c.minuendSeeds()).isEqualTo(2);
        assertThat(c.subtrahendSeeds()).isEqualTo(1);
        assertThat(c.minuendAuc()).isCloseTo((1 + 12.5 / 15) / 2, within(1e-12));
        assertThat(c.difference()).isCloseTo((1 - 12.5 / 15) / 2, within(1e-12)); // 1/12
    }

    @Test
    void verdictRulesAtTheirBoundaries() {
        assertThat(verdict(-0.01, 0.01)).isEqualTo(Verdict.REFUTED);             // inside the margin, ends included
        assertThat(verdict(-0.0100001, 0.01)).isEqualTo(Verdict.INCONCLUSIVE);   // just outside, contains 0
        assertThat(verdict(-0.01, 0.0100001)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(verdict(0.0001, 0.0099)).isEqualTo(Verdict.REFUTED);          // above 0 but below the relevant size
        assertThat(verdict(0.0001, 0.0101)).isEqualTo(Verdict.SUPPORTED);
        assertThat(verdict(0.0, 0.02)).isEqualTo(Verdict.INCONCLUSIVE);          // "above 0" is strict
        assertThat(verdict(-0.02, -0.0001)).isEqualTo(Verdict.REFUTED);          // below 0
        assertThat(verdict(-0.02, 0.0)).isEqualTo(Verdict.INCONCLUSIVE);         // touches 0
        assertThat(ANALYSIS.verdict(Optional.empty(), false, Optional.empty())).isEqualTo(Verdict.INCONCLUSIVE);
        GateCheck differ = new GateCheck(List.of("HOLOGIC", "GE_LUNAR"), 0.05, "HOLOGIC vs GE_LUNAR", 0.05, true);
        GateCheck same = new GateCheck(List.of("HOLOGIC", "GE_LUNAR"), 0.02, "HOLOGIC vs GE_LUNAR", 0.05, false);
        Optional<ConfidenceInterval> above = Optional.of(new ConfidenceInterval(0.001, 0.05, 0.95, 100, 0));
        assertThat(ANALYSIS.verdict(above, true, Optional.of(differ))).isEqualTo(Verdict.SUPPORTED);
        assertThat(ANALYSIS.verdict(above, true, Optional.of(same))).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(ANALYSIS.verdict(above, true, Optional.empty())).isEqualTo(Verdict.INCONCLUSIVE);
        Optional<ConfidenceInterval> below = Optional.of(new ConfidenceInterval(-0.05, -0.001, 0.95, 100, 0));
        assertThat(ANALYSIS.verdict(below, true, Optional.of(differ))).isEqualTo(Verdict.REFUTED);
    }

    @Test
    void moeClaimNeedsGateWeightsThatDifferByDevice() throws IOException {
        List<VertebraPrediction> good = cohort(PERFECT, (i, pos) -> pos ? 0.6 + i / 100.0 : 0.4 - i / 100.0);
        List<VertebraPrediction> weak = cohort(HAND, (i, pos) -> pos ? i / 40.0 : 0.24 + i / 40.0);
        List<MethodRun> runs = List.of(new MethodRun("moe", 1, good), new MethodRun("plain+device", 1, weak));
        List<Claim> claims = Claim.paperClaims("s", "sw", "tp", "u", "plain+device", "moe").subList(3, 4);
        // TV(HOLOGIC, GE) = (|0.5 - 0.45| + 0 + |0.2 - 0.25|) / 2 = 0.05: exactly the threshold -> differ;
        // the two seeds of GE (10 and 30 vertebrae) are merged by vertebra count into [0.45, 0.3, 0.25]
        List<DeviceGateWeights> gates = List.of(new DeviceGateWeights("moe", DxaDevice.HOLOGIC, 40, new double[] {0.5, 0.3, 0.2}),
                new DeviceGateWeights("moe", DxaDevice.GE_LUNAR, 10, new double[] {0.6, 0.3, 0.1}),
                new DeviceGateWeights("moe", DxaDevice.GE_LUNAR, 30, new double[] {0.4, 0.3, 0.3}));
        ClaimsAnalysis withGates = ClaimsAnalysis.builder().bootstrap(Bootstrap.builder().replicates(200).seed(3).build())
                .scope("external test", Set.of("D")).gateWeights(gates).build();
        ClaimsReport report = withGates.analyse(runs, claims);
        ClaimResult c = report.results().get(0);
        assertThat(c.gates().orElseThrow().maxTotalVariation()).isCloseTo(0.05, within(1e-12));
        assertThat(c.gates().orElseThrow().differ()).isTrue();
        assertThat(c.verdict()).isEqualTo(Verdict.SUPPORTED);
        assertThat(report.gateWeights()).hasSize(2);
        assertThat(report.gateWeights().get(1).meanWeights()).containsExactly(new double[] {0.45, 0.3, 0.25}, within(1e-12));
        assertThat(report.gateWeights().get(1).vertebrae()).isEqualTo(40);

        ClaimsReport flat = ClaimsAnalysis.builder().bootstrap(Bootstrap.builder().replicates(200).seed(3).build())
                .scope("external test", Set.of("D"))
                .gateWeights(List.of(new DeviceGateWeights("moe", DxaDevice.HOLOGIC, 40, new double[] {0.5, 0.3, 0.2}),
                        new DeviceGateWeights("moe", DxaDevice.GE_LUNAR, 40, new double[] {0.48, 0.3, 0.22})))
                .build().analyse(runs, claims);
        assertThat(flat.results().get(0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(flat.results().get(0).reason()).contains("gate weights do not differ by device (max TV 0.0200 < 0.0500)");

        List<Path> files = ClaimsWriter.writeAll(report, dir);
        String md = Files.readString(dir.resolve("claims.md"));
        assertThat(md).contains("| device-aware MoE | external test | moe minus plain+device | 1 vs 1 | 40 (20) / 20 | 1.000 | 0.138 | +0.863 (")
                .contains("| yes (max TV 0.050) | **supported** |");
        List<String> csv = Files.readAllLines(dir.resolve("claims.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(1).split(",", -1)).hasSize(csv.get(0).split(",", -1).length);
        assertThat(csv.get(1)).startsWith("device-aware MoE,external test,moe,plain+device,1,1,40,20,20,1,0.1375,0.8625,");
        String gateMd = Files.readString(dir.resolve("gate-weights.md"));
        assertThat(gateMd).contains("| moe | GE Lunar | 40 | 0.450 | 0.300 | 0.250 |");
        assertThat(Files.readAllLines(dir.resolve("gate-weights.csv"))).containsExactly("method,device,vertebrae,expert_1,expert_2,expert_3",
                "moe,HOLOGIC,40,0.5,0.3,0.2", "moe,GE_LUNAR,40,0.45,0.3,0.25");
        assertThat(files).hasSize(4);
    }

    @Test
    void missingMethodsAndMismatchedVertebraeAreRejectedByName() {
        List<VertebraPrediction> a = cohort(HAND, (i, pos) -> 0.5);
        List<VertebraPrediction> fewer = new ArrayList<>(a);
        fewer.remove(0);
        assertThatThrownBy(() -> ANALYSIS.analyse(List.of(new MethodRun("a", 1, a)), List.of(Claim.of("c", "a", "b"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs method 'b', which has no runs");
        assertThatThrownBy(() -> ANALYSIS.analyse(List.of(new MethodRun("a", 1, a), new MethodRun("b", 1, fewer)),
                List.of(Claim.of("c", "a", "b")))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("method 'b' seed 1 does not predict vertebra P1/L1");
    }

    private static Verdict verdict(double lo, double hi) {
        return ANALYSIS.verdict(Optional.of(new ConfidenceInterval(lo, hi, 0.95, 1000, 0)), false, Optional.empty());
    }
}
