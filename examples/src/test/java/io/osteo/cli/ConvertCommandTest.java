package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code osteo convert} and {@code osteo screen --ct DIR} on the shared DICOM copies of the real CT. */
class ConvertCommandTest {
    @TempDir
    Path tmp;

    private static Path shared(String relative) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        return Path.of(dir, "data").resolve(relative);
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OsteoCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void convertsTheDicomSeriesToTheSameNifti() {
        Path out = tmp.resolve("sub/ct.nii.gz");
        Run r = run("convert", "--input", shared("dicom/example_ct_sm_j2k_lossless").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.get("format").getAsString()).isEqualTo("dicom");
        assertThat(json.getAsJsonArray("size").toString()).isEqualTo("[122,101,30]");
        assertThat(json.getAsJsonObject("series").get("slices").getAsInt()).isEqualTo(30);
        assertThat(json.getAsJsonObject("series").get("transferSyntax").getAsString())
                .isEqualTo("1.2.840.10008.1.2.4.90");
        assertThat(json.get("datatype").getAsString()).isEqualTo("int16");
        Volume original = VolumeIo.readVolume(shared("totalsegmentator/example_ct_sm.nii.gz"));
        Volume converted = VolumeIo.readVolume(out);
        assertThat(converted.toArray()).isEqualTo(original.toArray());
        assertThat(converted.geometry().sameGrid(original.geometry(), 1e-3)).isTrue();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : original.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(json.getAsJsonObject("hu").get("min").getAsFloat()).isEqualTo(min);
        assertThat(json.getAsJsonObject("hu").get("max").getAsFloat()).isEqualTo(max);
    }

    @Test
    void severalSeriesNeedSeriesAndBadOutputIsRefused() throws IOException {
        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed);
        copy(shared("dicom/example_ct_sm_explicit_le"), mixed, "le-");
        // the second series: same files with another SeriesInstanceUID written in place (same length)
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        String uid = null;
        try (Stream<Path> files = Files.list(shared("dicom/example_ct_sm_explicit_le"))) {
            for (Path f : files.sorted().limit(5).toList()) {
                byte[] b = Files.readAllBytes(f);
                String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (uid == null) {
                    uid = seriesUid(f);
                }
                int at = s.indexOf("\u0020\u0000\u000e\u0000UI") + 8; // SeriesInstanceUID, explicit VR LE
                assertThat(s.substring(at, at + uid.length())).isEqualTo(uid);
                b[at + uid.length() - 1] = (byte) (b[at + uid.length() - 1] == '9' ? '8' : '9');
                Files.write(mixed.resolve("x-" + f.getFileName()), b);
            }
        }
        Run r = run("convert", "--input", mixed.toString(), "--out", tmp.resolve("a.nii.gz").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        String[] lines = r.err().strip().split("\n"); // progress lines, then the one-line error
        assertThat(lines[lines.length - 1]).startsWith("osteo convert: ").contains("2 image series")
                .contains("30 slices").contains("5 slices").contains("--series");
        Run chosen = run("convert", "--input", mixed.toString(), "--out", tmp.resolve("b.nii.gz").toString(),
                "--series", uid);
        assertThat(chosen.code()).as(chosen.err()).isZero();
        assertThat(JsonParser.parseString(chosen.out()).getAsJsonObject().getAsJsonObject("series")
                .get("seriesInstanceUid").getAsString()).isEqualTo(uid);
        Run largest = run("convert", "--input", mixed.toString(), "--out", tmp.resolve("c.nii.gz").toString(),
                "--largest-axial-ct");
        assertThat(largest.code()).as(largest.err()).isZero();
        assertThat(largest.out()).contains("\"slices\": 30");
        Run badOut = run("convert", "--input", mixed.toString(), "--out", tmp.resolve("c.nrrd").toString());
        assertThat(badOut.code()).isEqualTo(1);
        assertThat(badOut.err()).contains("must end in .nii.gz");
    }

    @Test
    void screenReadsADicomFolderAsItsCt() {
        Run r = run("screen", "--ct", shared("dicom/example_ct_sm_explicit_le").toString(), "--seg",
                shared("totalsegmentator/example_seg.nii.gz").toString(), "--hu-threshold", "110");
        assertThat(r.code()).as(r.err()).isZero();
        ScreeningReport dicom = ScreeningReportJson.fromJson(r.out());
        Run n = run("screen", "--ct", shared("totalsegmentator/example_ct_sm.nii.gz").toString(), "--seg",
                shared("totalsegmentator/example_seg.nii.gz").toString(), "--hu-threshold", "110");
        ScreeningReport nifti = ScreeningReportJson.fromJson(n.out());
        assertThat(dicom.studyId()).isEqualTo("example_ct_sm_explicit_le");
        assertThat(dicom.vertebrae()).hasSameSizeAs(nifti.vertebrae()).isNotEmpty();
        for (int i = 0; i < dicom.vertebrae().size(); i++) {
            assertThat(dicom.vertebrae().get(i).trabecularHu()).isEqualTo(nifti.vertebrae().get(i).trabecularHu());
        }
    }

    private static String seriesUid(Path f) {
        return io.osteo.api.io.dicom.DicomSeriesReader.builder().build().scan(f).get(0).seriesInstanceUid();
    }

    private static void copy(Path from, Path to, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(prefix + f.getFileName()));
            }
        }
    }
}
