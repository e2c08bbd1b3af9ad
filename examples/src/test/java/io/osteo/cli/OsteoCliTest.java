package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.Volume;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The osteo CLI run in-process on the PyRadiomics conformance files. */
class OsteoCliTest {

    record Run(int code, String out, String err) {}

    static Path data(String name) {
        String shared = System.getProperty("osteo.shared.dir");
        if (shared == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (Surefire sets it to ../shared)");
        }
        Path p = Path.of(shared, "conformance", "pyradiomics", name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("conformance file missing: " + p.toAbsolutePath());
        }
        return p;
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void featuresPrintsPyRadiomicsValuesAsJson() {
        Run r = run("features", "--image", data("breast1_image.nrrd").toString(), "--mask",
                data("breast1_label.nrrd").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject f = json.getAsJsonObject("features");
        assertThat(f.keySet()).hasSize(24).contains("Autocorrelation", "JointAverage", "Contrast", "DifferenceAverage");
        // PyRadiomics baseline (breast1, binWidth 25)
        assertThat(f.get("Contrast").getAsDouble()).isCloseTo(0.6712186625058774,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json.getAsJsonObject("settings").get("binWidth").getAsDouble()).isEqualTo(25.0);
        assertThat(json.getAsJsonObject("settings").get("voxels").getAsInt()).isEqualTo(143);
    }

    @Test
    void featuresWithBinCountAnd2d() {
        Run r = run("features", "--image", data("breast1_image.nrrd").toString(), "--mask",
                data("breast1_label.nrrd").toString(), "--bin-count", "64", "--force-2d", "--weighting", "no_weighting");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject s = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("settings");
        assertThat(s.get("binCount").getAsInt()).isEqualTo(64);
        assertThat(s.get("force2D").getAsBoolean()).isTrue();
        assertThat(s.get("weightingNorm").getAsString()).isEqualTo("no_weighting");
    }

    @Test
    void texturePoolWritesOneNiftiPerFeature(@TempDir Path tmp) {
        Path out = tmp.resolve("maps");
        Run r = run("texture-pool", "--image", data("breast1_image.nrrd").toString(), "--mask",
                data("breast1_label.nrrd").toString(), "--out", out.toString(), "--kernel-radius", "1", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.get("voxels").getAsInt()).isEqualTo(143);
        assertThat(json.get("seconds").getAsDouble()).isGreaterThanOrEqualTo(0);
        JsonObject maps = json.getAsJsonObject("maps");
        assertThat(maps.keySet()).containsExactly("Autocorrelation", "JointAverage", "Contrast", "DifferenceAverage");
        Volume image = VolumeIo.readVolume(data("breast1_image.nrrd"));
        Volume contrast = VolumeIo.readVolume(Path.of(maps.get("Contrast").getAsString()));
        assertThat(contrast.geometry().sameGrid(image.geometry(), 1e-4)).isTrue();
        float[] v = contrast.toArray();
        int valued = 0;
        int nan = 0;
        for (float x : v) {
            if (Float.isNaN(x)) {
                nan++;
            } else {
                valued++;
                assertThat(x).isGreaterThanOrEqualTo(0f);
            }
        }
        assertThat(valued).isBetween(1, 143);
        assertThat(nan).isEqualTo(v.length - valued);
        assertThat(r.err()).contains("voxel GLCM maps");
    }

    @Test
    void badInputGivesOneLineErrorsAndNonZeroExit(@TempDir Path tmp) throws Exception {
        String img = data("breast1_image.nrrd").toString();
        String mask = data("breast1_label.nrrd").toString();
        Run missing = run("features", "--image", tmp.resolve("nope.nrrd").toString(), "--mask", mask);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("nope.nrrd").contains("no such file");
        assertThat(missing.out()).isEmpty();

        Run otherGrid = run("features", "--image", data("brain1_image.nrrd").toString(), "--mask", mask);
        assertThat(otherGrid.code()).isEqualTo(1);
        assertThat(otherGrid.err().strip()).doesNotContain("\n").contains("not on the image grid");

        Run noLabel = run("features", "--image", img, "--mask", mask, "--label", "9");
        assertThat(noLabel.code()).isEqualTo(1);
        assertThat(noLabel.err()).contains("no voxel with label 9");

        Run both = run("features", "--image", img, "--mask", mask, "--bin-width", "10", "--bin-count", "8");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err().strip()).doesNotContain("\n").contains("mutually exclusive");

        Run badNorm = run("features", "--image", img, "--mask", mask, "--weighting", "cosine");
        assertThat(badNorm.code()).isEqualTo(1);
        assertThat(badNorm.err()).contains("cosine");

        Run badFeature = run("texture-pool", "--image", img, "--out", tmp.toString(), "--features", "Contrast,Foo");
        assertThat(badFeature.code()).isEqualTo(1);
        assertThat(badFeature.err()).contains("Foo");

        Path garbage = tmp.resolve("garbage.nrrd");
        Files.writeString(garbage, "NRRD0004\ntype: float\n");
        Run corrupt = run("features", "--image", garbage.toString(), "--mask", mask);
        assertThat(corrupt.code()).isEqualTo(1);
        assertThat(corrupt.err().strip()).doesNotContain("\n").contains("garbage.nrrd");

        Run unknownOption = run("features", "--image", img, "--mask", mask, "--frobnicate");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err().strip()).doesNotContain("\n").contains("--frobnicate");

        Run noSub = run();
        assertThat(noSub.code()).isEqualTo(2);
    }

    @Test
    void helpListsTheSubcommands() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("features").contains("texture-pool");
        assertThat(run("texture-pool", "--help").out()).contains("--kernel-radius").contains("--stride");
    }
}
