package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Reads the shared real files and checks geometry and voxels against an independent decoding
 * done here by hand (header fields at their byte offsets, voxels straight from the bytes) and
 * against facts stated with the data (sizes, spacing, label counts).
 */
class RealFilesTest {
    private static final Path CT = SharedData.file("data/totalsegmentator/example_ct_sm.nii.gz");
    private static final Path SEG = SharedData.file("data/totalsegmentator/example_seg.nii.gz");
    private static final Path BRAIN = SharedData.file("conformance/pyradiomics/brain1_image.nrrd");
    private static final Path BRAIN_LABEL = SharedData.file("conformance/pyradiomics/brain1_label.nrrd");
    private static final Path BREAST = SharedData.file("conformance/pyradiomics/breast1_image.nrrd");

    private static ByteBuffer gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Test
    void totalSegmentatorCtHasItsSformGeometryInLps() throws IOException {
        ByteBuffer b = gunzip(CT);
        assertThat(b.getInt(0)).isEqualTo(348);
        assertThat(b.getShort(254)).as("sform_code").isPositive();
        Volume ct = VolumeIo.readVolume(CT);
        ImageGeometry g = ct.geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(122, 101, 30);
        assertThat(g.spacing()).containsExactly(new double[] {3, 3, 3}, within(1e-6));
        // srow_x/y/z translation in RAS -> LPS negates x and y
        double[] expectedOrigin = {-b.getFloat(280 + 12), -b.getFloat(296 + 12), b.getFloat(312 + 12)};
        assertThat(g.origin()).containsExactly(expectedOrigin, within(1e-9));
        assertThat(g.origin()).containsExactly(new double[] {177.956, -11.319, 94.302}, within(1e-3));
        // sform is +3 on the diagonal (RAS), so LPS directions are diag(-1, -1, 1) as ITK reports
        assertThat(g.direction()).containsExactly(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, within(1e-12));
        // a voxel's world position agrees with the raw sform (converted to LPS)
        double[] w = g.indexToWorld(10, 20, 5);
        assertThat(w[0]).isCloseTo(-(b.getFloat(280) * 10 + b.getFloat(284) * 20 + b.getFloat(288) * 5 + b.getFloat(292)), within(1e-4));
        assertThat(w[2]).isCloseTo(b.getFloat(312) * 10 + b.getFloat(316) * 20 + b.getFloat(320) * 5 + b.getFloat(324), within(1e-4));
    }

    @Test
    void totalSegmentatorCtVoxelsAreTheInt16HuValues() throws IOException {
        ByteBuffer b = gunzip(CT);
        assertThat(b.getShort(70)).as("datatype int16").isEqualTo((short) 4);
        int offset = (int) b.getFloat(108);
        float slope = b.getFloat(112);
        float inter = b.getFloat(116);
        Volume ct = VolumeIo.readVolume(CT);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < ct.geometry().voxelCount(); i++) {
            float expected = slope == 0 ? b.getShort(offset + 2 * i) : b.getShort(offset + 2 * i) * slope + inter;
            assertThat(ct.get(i)).isEqualTo(expected);
            min = Math.min(min, ct.get(i));
            max = Math.max(max, ct.get(i));
        }
        assertThat(min).as("air/background HU").isBetween(-1100f, -900f);
        assertThat(max).as("bone HU").isBetween(700f, 3000f);
    }

    @Test
    void totalSegmentatorSegmentationHasTheThoracicVertebraeOnTheCtGrid() {
        LabelMap seg = VolumeIo.readLabels(SEG);
        Volume ct = VolumeIo.readVolume(CT);
        VolumeIo.requireSameGrid(ct, seg, "ct", "seg");
        assertThat(seg.presentLabels()).contains(30, 31, 32, 33);
        assertThat(seg.count(33)).as("T11 voxels").isEqualTo(70);
        assertThat(seg.count(30) + seg.count(31) + seg.count(32)).isGreaterThan(1000);
    }

    @Test
    void segmentationExtensionsBeforeTheDataAreSkippedViaVoxOffset() throws IOException {
        ByteBuffer b = gunzip(SEG);
        int offset = (int) b.getFloat(108);
        assertThat(offset).as("this file has NIfTI extensions").isGreaterThan(352);
        LabelMap seg = VolumeIo.readLabels(SEG);
        for (int i = 0; i < seg.geometry().voxelCount(); i += 7) {
            assertThat(seg.get(i)).isEqualTo(b.get(offset + i) & 0xFF);
        }
    }

    @Test
    void brainNrrdHasItsHeaderGeometryInLps() throws IOException {
        Volume brain = VolumeIo.readVolume(BRAIN);
        ImageGeometry g = brain.geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(256, 256, 25);
        assertThat(g.spacing()).containsExactly(new double[] {0.78125, 0.78125, 6.5}, within(1e-12));
        assertThat(g.origin()).containsExactly(new double[] {-99.609375, 99.609375, -78.0}, within(1e-12));
        assertThat(g.direction()).containsExactly(new double[] {1, 0, 0, 0, -1, 0, 0, 0, 1}, within(1e-15));

        ByteBuffer data = nrrdData(BRAIN);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < g.voxelCount(); i++) {
            assertThat(brain.get(i)).isEqualTo(data.getShort(2 * i));
            min = Math.min(min, brain.get(i));
            max = Math.max(max, brain.get(i));
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(3057f);
    }

    @Test
    void brainLabelIsOnTheImageGridWithOneLabel() throws IOException {
        LabelMap label = VolumeIo.readLabels(BRAIN_LABEL);
        VolumeIo.requireSameGrid(VolumeIo.readVolume(BRAIN), label, "brain1_image", "brain1_label");
        assertThat(label.presentLabels()).containsExactly(1);
        ByteBuffer data = nrrdData(BRAIN_LABEL);
        int expected = 0;
        for (int i = 0; i < label.geometry().voxelCount(); i++) {
            expected += data.getInt(4 * i) == 1 ? 1 : 0;
        }
        assertThat(label.count(1)).isEqualTo(expected).isEqualTo(4137);
    }

    @Test
    void breastNrrdGeometry() {
        ImageGeometry g = VolumeIo.readVolume(BREAST).geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(45, 120, 21);
        assertThat(g.spacing()).containsExactly(new double[] {0.664062, 0.664062, 2.1}, within(1e-12));
        assertThat(g.origin()).containsExactly(new double[] {-116.54304, -48.14465400000001, 9.4500000000000295}, within(1e-12));
        assertThat(g.direction()).containsExactly(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, within(1e-15));
    }

    /** The gzip data after the blank line of a NRRD header, little-endian, decoded by hand. */
    private static ByteBuffer nrrdData(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\n\n") + 2;
        assertThat(text).contains("encoding: gzip").contains("endian: little");
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(all, start, all.length - start))) {
            return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
