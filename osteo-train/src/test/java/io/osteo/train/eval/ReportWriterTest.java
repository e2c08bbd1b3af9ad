package io.osteo.train.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesTablesChartsAndJsonWithoutNaN() throws IOException {
        List<VertebraPrediction> a = new ArrayList<>(EvaluatorTest.handExample());
        // site C has negatives only: its SEN and AUC are undefined and must show as n/a / null
        a.add(new VertebraPrediction("P5", "C", VertebraLevel.L3, DxaDevice.MEDIX, false, 0.2,
                OptionalDouble.of(0.91), OptionalDouble.of(0.95)));
        List<VertebraPrediction> b = new ArrayList<>();
        for (VertebraPrediction p : a) {
            b.add(new VertebraPrediction(p.patientId(), p.site(), p.level(), p.device(), p.positive(),
                    1 - p.probability(), OptionalDouble.empty(), p.trueBmd()));
        }
        EvaluationReport report = EvaluatorTest.SMALL.evaluate(List.of(new MethodRun("flipped", 3, b),
                new MethodRun("ours", 3, a)));
        List<Path> files = ReportWriter.writeAll(report, "Test table", dir);

        assertThat(files).contains(dir.resolve("tables.md"), dir.resolve("table-site-c.csv"),
                dir.resolve("evaluation.json"), dir.resolve("roc.csv"), dir.resolve("roc-overall-patient.png"));
        for (Path f : files) {
            assertThat(Files.size(f)).as(f.toString()).isPositive();
            if (!f.toString().endsWith(".png")) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("NaN").doesNotContain("Infinity");
            }
        }
        byte[] png = Files.readAllBytes(dir.resolve("roc-site-a-vertebra.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

        String md = Files.readString(dir.resolve("tables.md"));
        assertThat(md).contains("## site C (1 vertebrae, 0 positive; 1 patients, 0 positive)");
        assertThat(md).contains("| ours | 1 | 0.750 (");
        // both methods ran once with seed 3: the preamble names the seed
        assertThat(md).contains("Values: one run per method (seed 3);").contains("| Method | Seeds | V-ACC |");
        assertThat(md.lines().filter(l -> l.startsWith("| ours")).findFirst().orElseThrow()).contains("ref");
        // site C: P5 alone; BMD MAE |0.91 - 0.95| = 0.04 for ours, n/a for flipped (no BMD head)
        String siteC = md.substring(md.indexOf("## site C"));
        assertThat(siteC).contains("n/a").contains("0.040");

        List<String> csv = Files.readAllLines(dir.resolve("table-overall.csv"));
        assertThat(csv).hasSize(3);
        int columns = csv.get(0).split(",", -1).length;
        assertThat(csv.get(1).split(",", -1)).hasSize(columns);
        assertThat(csv.get(2)).startsWith("ours,1,0.777778,");

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("evaluation.json"))).getAsJsonObject();
        assertThat(json.get("referenceMethod").getAsString()).isEqualTo("ours");
        JsonObject siteCRow = json.getAsJsonArray("rows").asList().stream().map(e -> e.getAsJsonObject())
                .filter(o -> o.get("scope").getAsString().equals("site C") && o.get("method").getAsString().equals("ours")
                        && o.get("level").getAsString().equals("vertebra"))
                .findFirst().orElseThrow();
        assertThat(siteCRow.getAsJsonObject("metrics").getAsJsonObject("SEN").get("value").isJsonNull()).isTrue();
        assertThat(siteCRow.getAsJsonObject("metrics").getAsJsonObject("SPE").get("value").getAsDouble()).isEqualTo(1.0);

        List<String> roc = Files.readAllLines(dir.resolve("roc.csv"));
        assertThat(roc.get(0)).isEqualTo("method,seed,scope,level,threshold,fpr,tpr");
        assertThat(roc).anyMatch(l -> l.startsWith("ours,3,overall,vertebra,inf,0,0"));
    }

    @Test
    void singleRunTablesOmitEmptyColumnsAndRoundNumbers() throws IOException {
        EvaluationReport single = EvaluatorTest.SMALL.evaluate(List.of(new MethodRun("only", 5, EvaluatorTest.handExample())));
        String md = ReportWriter.markdown(single, "One run");
        assertThat(md).contains("Values: one run per method (seed 5);")
                .contains("No p-values: a single method, nothing to compare it with.")
                .doesNotContain("p (vertebra)").doesNotContain("| ref |").contains("| only | 1 |");
        String row = md.lines().filter(l -> l.startsWith("| only |")).findFirst().orElseThrow();
        String header = md.lines().filter(l -> l.startsWith("| Method |")).findFirst().orElseThrow();
        assertThat(row.split("\\|", -1)).hasSameSizeAs(header.split("\\|", -1));
        assertThat(row).doesNotContain("|  |");
        String csv = ReportWriter.csv(single, "overall");
        assertThat(csv.lines().findFirst().orElseThrow()).doesNotContain("vertebra_p,").doesNotContain("patient_p,").startsWith("method,seeds,");
        // every JSON number has at most 6 significant digits (AUC 12.5/15 = 0.833333)
        String json = ReportWriter.json(single);
        assertThat(json).contains("0.833333").doesNotContainPattern("\\d\\.\\d{7,}");

        // several seeds: the Seeds column and "mean over seeds"
        List<VertebraPrediction> flipped = new ArrayList<>();
        for (VertebraPrediction p : EvaluatorTest.handExample()) {
            flipped.add(new VertebraPrediction(p.patientId(), p.site(), p.level(), p.device(), p.positive(),
                    1 - p.probability(), OptionalDouble.empty(), OptionalDouble.empty()));
        }
        EvaluationReport multi = EvaluatorTest.SMALL.evaluate(List.of(new MethodRun("base", 0, EvaluatorTest.handExample()),
                new MethodRun("deep", 1, EvaluatorTest.handExample()), new MethodRun("deep", 2, flipped)));
        String md2 = ReportWriter.markdown(multi, "Mixed");
        assertThat(md2).contains("Values: mean over seeds (Seeds: runs per method)").contains("| Method | Seeds | V-ACC |")
                .contains("| base | 1 |").contains("| deep | 2 |").contains("p (vertebra)");
    }

    @Test
    void computeDevicesArePrintedByName() {
        assertThat(ReportWriter.computeDeviceName(ai.djl.Device.cpu())).isEqualTo("CPU");
        assertThat(ReportWriter.computeDeviceName(ai.djl.Device.gpu(1))).isEqualTo("GPU 1");
    }

    @Test
    void predictionsRoundTripThroughCsv() {
        List<MethodRun> runs = List.of(new MethodRun("m1", 7, EvaluatorTest.handExample()),
                new MethodRun("m2", 8, List.of(new VertebraPrediction("P9", "D", VertebraLevel.L4, DxaDevice.GE_LUNAR,
                        true, 0.25, OptionalDouble.of(0.75), OptionalDouble.empty()))));
        Path file = dir.resolve("p.csv");
        PredictionsCsv.write(runs, file);
        assertThat(PredictionsCsv.read(file)).isEqualTo(runs);
    }
}
