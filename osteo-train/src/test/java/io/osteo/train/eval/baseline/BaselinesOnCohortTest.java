package io.osteo.train.eval.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.metrics.Bootstrap;
import io.osteo.api.metrics.ClassificationMetric;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.RenderedVertebra;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.cohort.VertebraPlan;
import io.osteo.train.eval.EvaluationLevel;
import io.osteo.train.eval.EvaluationReport;
import io.osteo.train.eval.Evaluator;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.claims.Claim;
import io.osteo.train.eval.claims.ClaimResult;
import io.osteo.train.eval.claims.ClaimsAnalysis;
import io.osteo.train.eval.claims.ClaimsReport;
import io.osteo.train.eval.claims.ClaimsWriter;
import io.osteo.train.manifest.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baselines on a rendered synthetic cohort (SMALL preset; scale from
 * {@code -Dosteo.baselines.scale}, default 0.04 to keep the suite short), with the latent truth
 * written in the generator's {@code latent.csv} format and read back. Prints the AUC of every row
 * per scope; checks what physics guarantees: every row beats chance, none is perfect, and the
 * oracle (which sees the true vBMD) beats the 2D mean HU.
 */
class BaselinesOnCohortTest {

    @TempDir
    Path dir;

    @Test
    void baselinesRankAsThePhysicsSaysOnARenderedCohort() throws IOException {
        double scale = Double.parseDouble(System.getProperty("osteo.baselines.scale", "0.04"));
        long seed = Long.getLong("osteo.baselines.seed", 31);
        SyntheticCohortGenerator gen = SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(seed)
                .scale(scale).build();
        List<BaselineVertebra> train = new ArrayList<>();
        List<BaselineVertebra> valid = new ArrayList<>();
        List<BaselineVertebra> test = new ArrayList<>();
        StringBuilder latent = new StringBuilder(LatentTruth.HEADER + "\n");
        long t0 = System.nanoTime();
        for (VertebraPlan v : gen.plan()) {
            if (!v.isLabelled()) continue;
            RenderedVertebra r = gen.render(v);
            int[] labels = r.mask().toArray();
            boolean[] mask = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) mask[i] = labels[i] != 0;
            BaselineVertebra b = new BaselineVertebra(v.patientId(), v.siteId(), v.level(), v.device(), v.label(), v.bmd(),
                    r.image(), mask);
            (v.split() == Split.TRAIN ? train : v.split() == Split.VALID ? valid : test).add(b);
            latent.append(v.patientId()).append(',').append(v.level()).append(',').append(v.vbmd()).append(',')
                    .append(1000 * v.sbmd()).append('\n');
        }
        double renderSeconds = (System.nanoTime() - t0) / 1e9;
        Path latentFile = dir.resolve(LatentTruth.FILE_NAME);
        Files.writeString(latentFile, latent);

        t0 = System.nanoTime();
        BaselineResult result = Baselines.builder().latentTruth(LatentTruth.read(latentFile)).threads(2).build().fit(train, valid, test);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        List<MethodRun> runs = result.runs();
        Set<String> internal = Set.of("A", "B", "C");
        EvaluationReport report = Evaluator.builder().bootstrap(Bootstrap.builder().replicates(200).seed(1).build())
                .perSite(false).scope("internal test", internal).scope("external test", Set.of("D")).build()
                .evaluate(runs);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "baselines on the SMALL cohort, scale %.3f, seed %d: %d train, %d valid, %d test vertebrae "
                        + "(render %.1f s, features + fits %.1f s)%n", scale, seed, train.size(), valid.size(), test.size(),
                renderSeconds, fitSeconds));
        for (BaselineFit f : result.fits()) {
            EvaluationLevel v = EvaluationLevel.VERTEBRA;
            out.append(String.format(Locale.ROOT, "  %-36s valid AUC %.3f  internal %s  external %s  lambda %s%n",
                    f.method(), f.validationAuc(),
                    report.row(f.method(), "internal test", v).metric(ClassificationMetric.AUC).format(3),
                    report.row(f.method(), "external test", v).metric(ClassificationMetric.AUC).format(3),
                    f.lambda().isPresent() ? String.valueOf(f.lambda().getAsDouble()) : "-"));
        }
        ClaimsReport claims = ClaimsAnalysis.builder().bootstrap(Bootstrap.builder().replicates(200).seed(1).build())
                .scope("internal test", internal).scope("external test", Set.of("D")).build()
                .analyse(runs, List.of(Claim.of("texture beyond density (3D)", Baselines.GLCM_3D, Baselines.MEAN_HU_3D),
                        Claim.of("3D beyond 2D (mean HU)", Baselines.MEAN_HU_3D, Baselines.MEAN_HU_2D)));
        for (ClaimResult c : claims.results()) {
            out.append(String.format(Locale.ROOT, "  %-30s %-14s %+.3f (%s)  %s%n", c.claim().name(), c.scope(),
                    c.difference(), c.interval().map(ci -> String.format(Locale.ROOT, "%+.3f to %+.3f", ci.lower(), ci.upper()))
                            .orElse("-"), c.verdict().label()));
        }
        System.out.print(out);
        assertThat(ClaimsWriter.markdown(claims)).contains("texture beyond density (3D)");

        for (String scope : List.of("internal test", "external test")) {
            for (MethodRun run : runs) {
                double auc = report.row(run.method(), scope, EvaluationLevel.VERTEBRA).metric(ClassificationMetric.AUC)
                        .value().getAsDouble();
                // the oracle may be perfect on a small external split; the image-based rows may not
                assertThat(auc).as(run.method() + " " + scope).isBetween(0.55, run.method().equals(Baselines.ORACLE) ? 1.0 : 0.995);
            }
            double oracle = auc(report, Baselines.ORACLE, scope);
            assertThat(oracle).as("oracle " + scope).isGreaterThan(auc(report, Baselines.MEAN_HU_2D, scope));
        }
    }

    private static double auc(EvaluationReport report, String method, String scope) {
        return report.row(method, scope, EvaluationLevel.VERTEBRA).metric(ClassificationMetric.AUC).value().getAsDouble();
    }
}
