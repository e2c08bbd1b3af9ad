package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.reproduce.ReproductionBudget;
import io.osteo.train.pretrain.PretrainedBackbone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training subcommands run in-process on one tiny synthetic cohort (16-voxel patches, the
 * {@code smoke} budget): synth -> pretrain -> finetune -> evaluate -> reproduce, then bad input.
 */
class TrainingCommandsTest {

    /** About 90 labelled vertebrae in 4 sites, a 1x unlabelled pool, 16^3 patches at 1.6 mm (the smoke budget's). */
    static final String TINY = """
            {"scale": 0.01, "patch": {"size": 16, "spacingMm": 1.6},
             "population": {"unlabelledRatio": 1.0, "unlabelledPerLabelledPatient": 1}}""";

    record Run(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    @TempDir
    static Path tmp;
    static Path cohort;
    static Run synth;

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void synthesiseTinyCohort() throws Exception {
        Path config = tmp.resolve("tiny.json");
        Files.writeString(config, TINY, StandardCharsets.UTF_8);
        cohort = tmp.resolve("cohort");
        synth = run("synth", "--out", cohort.toString(), "--seed", "7", "--preset", "small", "--config", config.toString(),
                "--threads", "2");
    }

    @Test
    void synthWritesTheCohortAndSummarisesIt() throws Exception {
        assertThat(synth.code()).as(synth.err()).isZero();
        JsonObject json = synth.json();
        Manifest manifest = ManifestReader.read(cohort.resolve("manifest.csv"));
        assertThat(json.get("vertebrae").getAsInt()).isEqualTo(manifest.size()).isGreaterThan(50);
        assertThat(json.get("labelled").getAsInt()).isEqualTo(manifest.labelled().size());
        assertThat(json.getAsJsonObject("splits").keySet()).contains("pretrain", "train", "valid", "test", "external");
        assertThat(json.getAsJsonObject("sites").size()).isGreaterThanOrEqualTo(3);
        // the overrides reached the generator: the written configuration has them
        JsonObject written = JsonParser.parseString(Files.readString(cohort.resolve("cohort.json"))).getAsJsonObject();
        assertThat(written.get("seed").getAsLong()).isEqualTo(7);
        assertThat(written.getAsJsonObject("patch").get("size").getAsInt()).isEqualTo(16);
        // progress went to stderr through the bar (plain lines: no console in tests), not stdout
        assertThat(synth.err()).contains("synthetic cohort: started").contains("100%");
        assertThat(synth.out()).doesNotContain("synthetic cohort:");

        Run again = run("synth", "--out", cohort.toString(), "--config", tmp.resolve("tiny.json").toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).doesNotContain("\n").contains(cohort.toString()).contains("already holds a cohort");
    }

    @Test
    void pretrainFinetuneEvaluateAndReproduceOnTheTinyCohort() throws Exception {
        assertThat(synth.code()).as(synth.err()).isZero();
        Path backbone = tmp.resolve("tp-swav");
        Run pre = run("pretrain", "--data", cohort.toString(), "--out", backbone.toString(), "--budget", "smoke",
                "--epochs", "2", "--views", "texture-pool", "--device", "cpu");
        assertThat(pre.code()).as(pre.err()).isZero();
        JsonObject p = pre.json();
        assertThat(p.get("views").getAsString()).isEqualTo("texture-pool");
        assertThat(p.get("vertebrae").getAsInt()).isEqualTo(ReproductionBudget.smoke().pretrainLimit());
        JsonArray epochs = p.getAsJsonArray("epochs");
        assertThat(epochs).hasSize(2);
        for (JsonElement e : epochs) {
            assertThat(e.getAsJsonObject().get("meanLoss").getAsDouble()).isFinite().isPositive();
        }
        assertThat(PretrainedBackbone.read(backbone).history()).hasSize(2);
        assertThat(pre.err()).contains("cohort store: started").contains("pretrain: done");

        Path run = tmp.resolve("finetune");
        Run ft = run("finetune", "--data", cohort.resolve("manifest.csv").toString(), "--pretrained", backbone.toString(),
                "--out", run.toString(), "--loss", "unified", "--decoder", "moe", "--budget", "smoke", "--epochs", "2", "--device", "cpu");
        assertThat(ft.code()).as(ft.err()).isZero();
        JsonObject f = ft.json();
        Path model = Path.of(f.get("model").getAsString());
        ModelDescriptor descriptor = DescriptorJson.read(model);
        assertThat(descriptor.architecture().patchSize()).containsExactly(16, 16);
        assertThat(descriptor.input().spacingMm()).containsExactly(1.6, 1.6);
        assertThat(f.get("decoder").getAsString()).isEqualTo("MoE");
        assertThat(f.get("device").getAsJsonArray().get(0).getAsString()).isEqualTo("cpu");
        assertThat(f.getAsJsonArray("epochs")).hasSize(2);
        assertThat(f.get("bestEpoch").getAsInt()).isBetween(1, 2);

        Run plain = run("finetune", "--data", cohort.toString(), "--out", tmp.resolve("plain").toString(), "--loss", "class",
                "--decoder", "plain", "--budget", "smoke", "--epochs", "1", "--device", "cpu");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.json().get("decoder").getAsString()).isEqualTo("plain");
        assertThat(plain.json().get("loss").getAsString()).isEqualTo("class");

        for (String split : List.of("test", "external")) {
            Path eval = tmp.resolve("eval-" + split);
            Run ev = run("evaluate", "--data", cohort.toString(), "--model", model.toString(), "--out", eval.toString(),
                    "--split", split, "--bootstrap", "50", "--device", "cpu");
            assertThat(ev.code()).as(ev.err()).isZero();
            JsonObject e = ev.json();
            assertThat(e.get("split").getAsString()).isEqualTo(split);
            List<String> files = new ArrayList<>();
            e.getAsJsonArray("files").forEach(x -> files.add(Path.of(x.getAsString()).getFileName().toString()));
            assertThat(files).contains("tables.md", "evaluation.json", "roc.csv", "roc-overall-vertebra.png",
                    "roc-overall-patient.png", "table-overall.csv", "predictions.csv");
            byte[] png = Files.readAllBytes(eval.resolve("roc-overall-vertebra.png"));
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            assertThat(Files.readString(eval.resolve("tables.md"))).contains("ACC").contains("AUC");
            assertThat(e.getAsJsonObject("evaluation")).isNotNull();
        }

        Path repro = tmp.resolve("repro");
        Run rp = run("reproduce", "--data", cohort.toString(), "--out", repro.toString(), "--budget", "smoke", "--device", "cpu");
        assertThat(rp.code()).as(rp.err()).isZero();
        JsonObject r = rp.json();
        assertThat(r.get("budget").getAsString()).isEqualTo("smoke");
        assertThat(Path.of(r.get("results").getAsString()).resolve("tables.md")).isRegularFile();
        assertThat(r.getAsJsonArray("pretraining")).hasSize(2);
        // the runner trained on the given cohort, not on one of its own
        assertThat(repro.resolve("cohort")).doesNotExist();
    }

    @Test
    void badInputGivesOneLineNamingTheInputAndNonZeroExit() {
        String data = cohort.toString();
        String out = tmp.resolve("bad").toString();
        assertError(run("synth", "--out", out, "--preset", "huge"), 1, "huge");
        assertError(run("pretrain", "--data", tmp.resolve("nowhere.csv").toString(), "--out", out), 1, "nowhere.csv");
        assertError(run("pretrain", "--data", tmp.toString(), "--out", out), 1, "no manifest");
        assertError(run("pretrain", "--data", data, "--out", out, "--views", "jigsaw"), 1, "jigsaw");
        assertError(run("pretrain", "--data", data, "--out", out, "--device", "tpu3"), 1, "tpu3");
        assertError(run("pretrain", "--data", data, "--out", out, "--budget", "gigantic"), 1, "gigantic");
        assertError(run("finetune", "--data", data, "--out", out, "--loss", "focal"), 1, "focal");
        assertError(run("finetune", "--data", data, "--out", out, "--pretrained", tmp.resolve("nobackbone").toString()), 1,
                "nobackbone");
        assertError(run("evaluate", "--data", data, "--model", tmp.resolve("nomodel").toString(), "--out", out), 1, "nomodel");
        assertError(run("evaluate", "--data", data, "--model", out, "--out", out, "--split", "train"), 1, "train");
        assertError(run("reproduce", "--out", out, "--budget", "tiny"), 1, "tiny");
        assertError(run("pretrain", "--data", data), 2, "--out");
    }

    @Test
    void badCohortConfigNamesTheFileAndTheKey() throws Exception {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, "{\"scale\": 0.01, \"frobnicate\": 3}", StandardCharsets.UTF_8);
        Run r = run("synth", "--out", tmp.resolve("x").toString(), "--config", config.toString());
        assertError(r, 1, "bad.json");
        assertThat(r.err()).contains("frobnicate");
        Files.writeString(config, "{\"scale\": -1}", StandardCharsets.UTF_8);
        assertError(run("synth", "--out", tmp.resolve("x").toString(), "--config", config.toString()), 1, "scale");
        assertError(run("synth", "--out", tmp.resolve("x").toString(), "--config", tmp.resolve("none.json").toString()), 1,
                "none.json");
    }

    @Test
    void helpListsEveryTrainingSubcommand() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("synth", "pretrain", "finetune", "evaluate", "reproduce", "screen", "quickstart");
        assertThat(run("finetune", "--help").out()).contains("--decoder").contains("plain+device").contains("--pretrained").contains("class+position");
    }

    private static void assertError(Run r, int code, String mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\n").contains(mentions);
    }
}
