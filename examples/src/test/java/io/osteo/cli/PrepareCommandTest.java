package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code osteo prepare} from a DICOM series, and the newcomer's rough edges of the command line. */
class PrepareCommandTest {
    @TempDir
    Path tmp;

    private static Path shared(String relative) {
        return Path.of(System.getProperty("osteo.shared.dir"), "data").resolve(relative).toAbsolutePath();
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void preparesACohortFromADicomSeriesAndADxaTable() throws Exception {
        Path dicom = shared("dicom/example_ct_sm_j2k_lossless");
        Path seg = shared("totalsegmentator/example_seg.nii.gz");
        StringBuilder cts = new StringBuilder("patient_id,site,ct,seg,label_scheme,level,sex,age\n");
        StringBuilder dxa = new StringBuilder("patient_id,level,dxa_device,bmd,t_score\n");
        for (int p = 1; p <= 5; p++) {
            cts.append("P").append(p).append(",a,").append(dicom).append(',').append(seg).append(",totalsegmentator,,M,70\n");
            dxa.append("P").append(p).append(",L1,GE_LUNAR,").append(p % 2 == 0 ? "0.700,-3.1" : "1.100,0.4").append('\n');
        }
        Files.writeString(tmp.resolve("cts.csv"), cts, StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("dxa.csv"), dxa, StandardCharsets.UTF_8);
        Run r = run("prepare", "--cts", tmp.resolve("cts.csv").toString(), "--dxa", tmp.resolve("dxa.csv").toString(),
                "--out", tmp.resolve("cohort").toString(), "--budget", "smoke", "--seed", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject counts = json.getAsJsonObject("vertebrae");
        assertThat(counts.get("pretrain").getAsInt()).isEqualTo(10); // T12 and L2 without DXA
        assertThat(counts.get("train").getAsInt() + counts.get("valid").getAsInt() + counts.get("test").getAsInt())
                .isEqualTo(5);
        assertThat(json.get("skippedVertebrae").getAsInt()).isEqualTo(5); // T11 at the scan's edge, each CT
        assertThat(tmp.resolve("cohort/preprocessing.json")).content().contains("MID_AXIAL");
        Run again = run("prepare", "--cts", tmp.resolve("cts.csv").toString(), "--out", tmp.resolve("cohort").toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already holds a cohort");
    }

    @Test
    void texturePoolRefusesAFileAsOutBeforeComputing() throws Exception {
        Path file = Files.writeString(tmp.resolve("maps.nii.gz"), "x");
        Run r = run("texture-pool", "--image", shared("totalsegmentator/example_ct_sm.nii.gz").toString(), "--out",
                file.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--out " + file).contains("is a file").doesNotContain("Exception");
    }

    @Test
    void theCtPassedAsSegAndANegativeHuThresholdAreRefused() {
        String ct = shared("totalsegmentator/example_ct_sm.nii.gz").toString();
        Run seg = run("screen", "--ct", ct, "--seg", ct, "--hu-threshold", "110");
        assertThat(seg.code()).isNotZero();
        assertThat(seg.err()).contains("is not a label map");
        Run hu = run("screen", "--ct", ct, "--seg", shared("totalsegmentator/example_seg.nii.gz").toString(),
                "--hu-threshold", "-160");
        assertThat(hu.code()).isNotZero();
        assertThat(hu.err()).contains("-160").contains("physical range");
    }

    @Test
    void everySubcommandIsListedWithAWholeSentence() {
        String help = run("--help").out();
        for (String name : new String[] {"screen", "prepare", "convert", "synth", "pretrain", "finetune", "reproduce"}) {
            String line = help.lines().filter(l -> l.trim().startsWith(name + " ")).findFirst().orElseThrow().trim();
            assertThat(line).as(name).endsWith(".");
        }
    }
}
