package io.osteo.train.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;

import io.osteo.train.eval.EvaluationLevel;
import io.osteo.train.eval.MethodScores;
import java.nio.file.Files;
import io.osteo.train.eval.LinearProbe;
import io.osteo.train.eval.baseline.Baselines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionRunnerTest {

    @TempDir
    Path work;

    @Test
    void budgetsParseAndGridEndsWithTheFullMethod() {
        assertThat(ReproductionBudget.parse(" CPU ").name()).isEqualTo("cpu");
        assertThat(ReproductionBudget.paper().finetuneLearningRate()).isEqualTo(1e-5f);
        assertThat(ReproductionBudget.paper().pretrainWarmupEpochs()).isEqualTo(100);
        assertThat(ReproductionBudget.smoke().patchShape()).containsExactly(16, 16);
        assertThatThrownBy(() -> ReproductionBudget.parse("huge")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("smoke, cpu, study or paper");
        GridRow last = GridRow.studyGrid().get(GridRow.studyGrid().size() - 1);
        assertThat(last.decoder()).isEqualTo(io.osteo.train.finetune.DecoderChoice.MOE);
        assertThat(GridRow.studyGrid()).extracting(GridRow::decoder)
                .contains(io.osteo.train.finetune.DecoderChoice.PLAIN_WITH_DEVICE);
        assertThat(last.loss()).isEqualTo(io.osteo.train.finetune.LossChoice.UNIFIED);
    }

    @Test
    void smokeRunProducesEveryTable() throws Exception {
        ReproductionResult r = ReproductionRunner.builder().budget(ReproductionBudget.smoke()).workDirectory(work).build().run();
        List<String> expected = new java.util.ArrayList<>(List.of(Baselines.MEAN_HU_2D, Baselines.MEAN_HU_3D, Baselines.GLCM_2D,
                Baselines.GLCM_3D, Baselines.ORACLE));
        GridRow.studyGrid().forEach(row -> expected.add(row.name()));
        assertThat(r.report().methods()).containsExactlyElementsOf(expected);
        assertThat(r.claims()).as("the study grid has every row the claims compare").isNotNull();
        assertThat(r.claims().results()).hasSize(8); // 4 claims x (internal, external)
        assertThat(r.probes()).extracting(LinearProbe.Result::encoder).containsExactlyInAnyOrder("TEXTURE_POOL", "RANDOM_CROP",
                "random init");
        assertThat(r.report().scopes()).contains("overall", "internal test", "external test", "site A", "site D");
        for (String method : r.report().methods()) {
            MethodScores s = r.report().row(method, "overall", EvaluationLevel.VERTEBRA);
            assertThat(s.units()).isPositive();
            assertThat(s.seeds()).containsExactly(expected.indexOf(method) < 5 ? Baselines.SEED : 1L);
        }
        Path results = r.resultsDirectory();
        for (String f : new String[] {"tables.md", "table-internal-test.csv", "table-external-test.csv", "evaluation.json",
            "roc.csv", "roc-overall-patient.png", "predictions.csv", "pretraining.md", "claims.md", "gate-weights.md", "run.md"}) {
            assertThat(results.resolve(f)).as(f).isRegularFile();
        }
        String md = Files.readString(results.resolve("tables.md"));
        assertThat(md).contains("## internal test").contains("## external test").contains("| TP-SwAV / unified + MoE | 1 |")
                .doesNotContain("NaN")
                // deep rows are scored at their own validation-chosen thresholds, and the preamble says so
                .contains("Decision threshold 0.50 for the other methods; per run, chosen on validation")
                .containsPattern("TP-SwAV / unified \\+ MoE [01]\\.\\d{3}");
        assertThat(Files.readString(results.resolve("run.md"))).contains("- budget: smoke")
                .contains("- recipe: fine-tuning Augmentation[flips, rot90").contains("epoch selected on validation AUC")
                .contains("operating threshold youden");
        assertThat(Files.readString(results.resolve("pretraining.md"))).contains("TP-SwAV (texture pool), seed 1")
                .contains("SwAV (random crops), seed 1");
        assertThat(r.pretraining()).hasSize(2);
    }
}
