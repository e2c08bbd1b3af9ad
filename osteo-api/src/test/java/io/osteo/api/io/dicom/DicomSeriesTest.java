package io.osteo.api.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series grouping and selection, and every refusal of {@code dicom.md}: missing and duplicate
 * slices, mixed orientations / pixel sizes / image sizes, gantry tilt, non-CT, truncated pixel
 * data, unsupported syntaxes, folders without images.
 */
class DicomSeriesTest {
    @TempDir
    Path dir;

    private static final String A = "1.2.826.0.1.3680043.8.498.10";
    private static final String B = "1.2.826.0.1.3680043.8.498.20";

    private Fixtures.Written series(Path d, String uid, int nz, String description) {
        return Fixtures.series(d, 6, 5, nz, 2.0, nz * 31L + uid.hashCode(), im -> {
            im.seriesUid = uid;
            im.seriesDescription = description;
        });
    }

    @Test
    void severalSeriesAreListedUnlessOneIsChosen() throws IOException {
        Fixtures.Written a = series(dir.resolve("a"), A, 5, "Abdomen 1.0");
        Fixtures.Written b = series(dir.resolve("b"), B, 3, "Abdomen 5.0");
        // mixing both in one folder: rename b's files so they do not overwrite a's
        Path mixed = dir.resolve("mixed");
        Files.createDirectories(mixed);
        for (Path f : a.files()) {
            Files.copy(f, mixed.resolve("a-" + f.getFileName()));
        }
        for (Path f : b.files()) {
            Files.copy(f, mixed.resolve("b-" + f.getFileName()));
        }
        assertThatThrownBy(() -> VolumeIo.readVolume(mixed)).isInstanceOf(MultipleSeriesException.class)
                .hasMessageContaining(mixed.toString()).hasMessageContaining(A).hasMessageContaining(B)
                .hasMessageContaining("'Abdomen 1.0'").hasMessageContaining("5 slices").hasMessageContaining("AXIAL")
                .hasMessageContaining("--series");
        List<DicomSeries> found = DicomSeriesReader.builder().build().scan(mixed);
        assertThat(found).extracting(DicomSeries::seriesInstanceUid).containsExactly(A, B);
        Volume vb = DicomSeriesReader.builder().seriesUid(B).build().read(mixed);
        assertThat(vb.toArray()).isEqualTo(b.expectedHu());
        Volume largest = DicomSeriesReader.builder().selection(SeriesSelection.LARGEST_AXIAL_CT).build().read(mixed);
        assertThat(largest.toArray()).isEqualTo(a.expectedHu());
        // one file selects its own series
        Volume own = VolumeIo.readVolume(mixed.resolve("b-" + b.files().get(1).getFileName()));
        assertThat(own.toArray()).isEqualTo(b.expectedHu());
        assertThatThrownBy(() -> DicomSeriesReader.builder().seriesUid("9.9.9").build().read(mixed))
                .isInstanceOf(DicomFormatException.class).hasMessageContaining("no series 9.9.9")
                .hasMessageContaining(A);
    }

    @Test
    void otherFilesAndNonImageObjectsAreSkipped() throws IOException {
        Fixtures.Written a = series(dir, A, 4, "ct");
        Files.writeString(dir.resolve("README.txt"), "exported by a PACS\n");
        Files.write(dir.resolve("DICOMDIR"), new byte[300]);
        DicomTestWriter.Image sr = new DicomTestWriter.Image(1, 1, new int[1]);
        sr.noPixels = true;
        sr.seriesUid = B;
        sr.modality = "SR";
        DicomTestWriter.write(sr, dir.resolve("dose-report.dcm"));
        DicomTestWriter.Image scout = new DicomTestWriter.Image(6, 5, new int[30]);
        scout.seriesUid = A;
        scout.imageType = "ORIGINAL\\PRIMARY\\LOCALIZER";
        scout.orientation = new double[] {1, 0, 0, 0, 0, -1};
        DicomTestWriter.write(scout, dir.resolve("scout.dcm"));
        DicomVolume v = DicomSeriesReader.builder().build().readSeries(dir);
        assertThat(v.volume().toArray()).isEqualTo(a.expectedHu());
        assertThat(v.notes()).anyMatch(n -> n.contains("non-DICOM")).anyMatch(n -> n.contains("without pixel data"))
                .anyMatch(n -> n.contains("localizer"));
    }

    @Test
    void missingSliceIsRefused() throws IOException {
        Fixtures.Written a = series(dir, A, 6, "ct");
        Files.delete(fileAt(a, 3));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("non-uniform slice spacing").hasMessageContaining("4.000 mm")
                .hasMessageContaining("1 missing slice");
    }

    @Test
    void smallRoundingOfPositionsIsAccepted() {
        Fixtures.Written a = Fixtures.series(dir, 6, 5, 5, 2.0, 1L, im -> { });
        DicomTestWriter.Image im = a.images().get(2);
        im.position[2] += 0.004; // DS rounding, 0.2 % of the step
        DicomTestWriter.write(im, fileFor(a, 2));
        assertThat(VolumeIo.readVolume(dir).geometry().spacing(2)).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void duplicatePositionIsRefused() throws IOException {
        Fixtures.Written a = series(dir, A, 4, "ct");
        DicomTestWriter.Image copy = a.images().get(1);
        copy.sopInstanceUid = "1.2.3.999";
        DicomTestWriter.write(copy, dir.resolve("copy.dcm"));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("duplicate slice position").hasMessageContaining("copy.dcm");
    }

    @Test
    void mixedOrientationPixelSizeAndImageSizeAreRefused() {
        Fixtures.Written a = series(dir.resolve("o"), A, 4, "ct");
        DicomTestWriter.Image im = a.images().get(2);
        im.orientation = new double[] {1, 0, 0, 0, 0.9998477, -0.0174524};
        DicomTestWriter.write(im, fileFor(a, 2));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir.resolve("o"))).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("mixed orientations");
        Fixtures.Written b = series(dir.resolve("p"), A, 4, "ct");
        im = b.images().get(1);
        im.pixelSpacing = new double[] {0.8, 0.75};
        DicomTestWriter.write(im, fileFor(b, 1));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir.resolve("p"))).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("mixed pixel sizes");
        Fixtures.Written c = series(dir.resolve("s"), A, 4, "ct");
        im = c.images().get(1);
        im.columns = 5;
        im.rows = 6;
        DicomTestWriter.write(im, fileFor(c, 1));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir.resolve("s"))).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("mixed image sizes");
    }

    @Test
    void gantryTiltIsRefused() {
        Fixtures.Written a = Fixtures.series(dir, 6, 5, 5, 2.0, 4L, im -> { });
        for (int k = 0; k < 5; k++) { // positions shift along y by tan(15 deg) per mm along z
            DicomTestWriter.Image im = a.images().get(k);
            im.position[1] += k * 2.0 * Math.tan(Math.toRadians(15));
            DicomTestWriter.write(im, fileFor(a, k));
        }
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("gantry tilt").hasMessageContaining("15.00 degrees");
    }

    @Test
    void nonCtIsRefusedUnlessAllowed() {
        Fixtures.Written a = Fixtures.series(dir, 6, 5, 3, 2.0, 4L, im -> im.modality = "MR");
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("not CT (Modality MR)");
        DicomVolume v = DicomSeriesReader.builder().allowNonCt(true).build().readSeries(dir);
        assertThat(v.volume().toArray()).isEqualTo(a.expectedHu());
        assertThat(v.notes()).anyMatch(n -> n.contains("not CT"));
    }

    @Test
    void truncatedPixelDataNamesTheFile() throws IOException {
        Fixtures.Written a = series(dir, A, 3, "ct");
        Path f = fileAt(a, 1);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 7));
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining(f.getFileName().toString()).hasMessageContaining("bytes");
    }

    @Test
    void truncatedPixelDataWithFixedLengthIsCaught() throws IOException {
        // pixel data length honest about the file but smaller than Rows x Columns needs
        DicomTestWriter.Image im = new DicomTestWriter.Image(6, 5, new int[30]);
        byte[] b = DicomTestWriter.encode(im);
        byte[] cut = Arrays.copyOf(b, b.length - 10);
        int lengthAt = b.length - 64; // OW length field of the pixel data (native, 60 bytes)
        cut[lengthAt] = 50;
        Files.write(dir.resolve("x.dcm"), cut);
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("truncated pixel data: 50 of 60 bytes");
    }

    @Test
    void unsupportedSyntaxIsNamed() throws IOException {
        DicomTestWriter.Image im = new DicomTestWriter.Image(6, 5, new int[30]);
        byte[] b = DicomTestWriter.encode(im);
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        byte[] baseline = "1.2.840.10008.1.2.4.50".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // same length as "1.2.840.10008.1.2.1\0" + 2: rewrite the meta value in place with its new length
        Path f = dir.resolve("jpeg.dcm");
        byte[] out = new byte[b.length + 2];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(baseline, 0, out, at, baseline.length);
        System.arraycopy(b, at + 20, out, at + 22, b.length - at - 20);
        out[at - 2] = 22;
        out[140] = (byte) (out[140] + 2); // group length
        Files.write(f, out);
        assertThatThrownBy(() -> VolumeIo.readVolume(f)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("unsupported transfer syntax 1.2.840.10008.1.2.4.50 (JPEG baseline");
    }

    @Test
    void folderWithoutImagesAndMissingPaths() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "nothing");
        assertThatThrownBy(() -> VolumeIo.readVolume(dir)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("holds no DICOM image");
        assertThatThrownBy(() -> VolumeIo.readVolume(dir.resolve("nope.dcm"))).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void singleSliceSeriesTakesSpacingFromThickness() {
        Fixtures.Written a = Fixtures.series(dir, 6, 5, 1, 2.0, 4L, im -> im.sliceThickness = 3.0);
        Volume v = VolumeIo.readVolume(a.files().get(0));
        assertThat(v.geometry().nz()).isEqualTo(1);
        assertThat(v.geometry().spacing(2)).isEqualTo(3.0);
        assertThat(v.geometry().spacing(0)).isEqualTo(0.7);
        assertThat(v.geometry().spacing(1)).isEqualTo(0.8);
    }

    private static Path fileAt(Fixtures.Written w, int k) {
        return w.files().get(k);
    }

    private static Path fileFor(Fixtures.Written w, int k) {
        return w.files().get(k);
    }
}
