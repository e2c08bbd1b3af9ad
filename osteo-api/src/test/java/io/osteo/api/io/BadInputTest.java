package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken input gives a VolumeFormatException naming the file and the problem. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static HandMadeNifti small() {
        return new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 2, 2, 2, 4, 16).data(2, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    private static void assertRejected(Path p, String... fragments) {
        assertThatThrownBy(() -> VolumeIo.readVolume(p)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContainingAll(fragments);
        assertThatThrownBy(() -> VolumeIo.readLabels(p)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(p.toString());
    }

    @Test
    void missingFilesAndUnknownExtensions() throws IOException {
        assertRejected(dir.resolve("none.nii.gz"), "does not exist");
        assertRejected(write("x.mha", new byte[10]), "extension");
        assertRejected(write("x.nhdr", new byte[10]), "not a NRRD file");
        assertRejected(Files.createDirectory(dir.resolve("folder.nii")), "cannot read");
        assertThatThrownBy(() -> VolumeIo.readVolume(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void contentMustMatchTheExtension() throws IOException {
        assertRejected(write("gz.nii", small().gzipped()), "gzip-compressed", ".nii.gz");
        assertRejected(write("plain.nii.gz", small().bytes()), "not gzip-compressed", "uncompressed NIfTI", "rename it to .nii");
        assertRejected(write("notes.nii.gz", "patient_id,site\nP1,a\n".getBytes(StandardCharsets.US_ASCII)),
                "not gzip-compressed", "text file", "patient_id,site");
        assertThatThrownBy(() -> VolumeIo.readVolume(write("text.nii.gz", "hello".getBytes(StandardCharsets.US_ASCII))))
                .hasMessageNotContaining("rename");
        assertRejected(write("nifti.nrrd", small().bytes()), "not a NRRD file");
        assertRejected(write("text.nii", "NRRD0004\ntype: short\n".repeat(30).getBytes(StandardCharsets.US_ASCII)), "sizeof_hdr");
    }

    @Test
    void truncatedHeadersAndData() throws IOException {
        byte[] ok = small().bytes();
        assertRejected(write("h.nii", Arrays.copyOf(ok, 100)), "truncated NIfTI header", "100 of 348");
        assertRejected(write("d.nii", Arrays.copyOf(ok, ok.length - 1)), "16 bytes of voxel data", "only 15");
        assertRejected(write("off.nii", Arrays.copyOf(ok, 350)), "vox_offset");
        byte[] gz = small().gzipped();
        assertRejected(write("d.nii.gz", Arrays.copyOf(gz, gz.length - 12)), "truncated");
        assertRejected(write("empty.nii.gz", new byte[0]), "not gzip-compressed");
        assertRejected(write("empty.nrrd", new byte[0]), "not a NRRD file");
    }

    @Test
    void wrongMagicAndUnsupportedNiftiFlavours() throws IOException {
        HandMadeNifti n = small();
        n.header.put(344, (byte) 'x');
        assertRejected(write("magic.nii", n.bytes()), "magic");
        n = small();
        n.header.put(345, (byte) 'i');
        assertRejected(write("pair.nii", n.bytes()), ".hdr/.img");
        n = small();
        n.header.putInt(0, 540);
        assertRejected(write("two.nii", n.bytes()), "NIfTI-2");
        n = small();
        n.header.putShort(70, (short) 32); // complex64
        assertRejected(write("complex.nii", n.bytes()), "unsupported NIfTI datatype 32");
    }

    @Test
    void invalidDimensionsAndGeometry() throws IOException {
        assertRejected(write("rank.nii", small().dims(0, 2, 2, 2).bytes()), "dim[0] = 0");
        assertRejected(write("rank8.nii", small().dims(8, 2, 2, 2).bytes()), "dim[0] = 8");
        assertRejected(write("zero.nii", small().dims(3, 2, 0, 2).bytes()), "dim[2] = 0");
        assertRejected(write("neg.nii", small().dims(3, -2, 2, 2).bytes()), "dim[1] = -2");
        assertRejected(write("pix.nii", small().pixdim(1f, 1f, Float.NaN, 1f).bytes()), "pixdim[2]");
        assertRejected(write("pix0.nii", small().pixdim(1f, 0f, 1f, 1f).bytes()), "pixdim[1]");
        assertRejected(write("sform.nii", small().sform(1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0).bytes()), "sform axis 2");
        assertRejected(write("flat.nii", small().sform(1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0).bytes()), "singular");
        assertRejected(write("sformnan.nii", small().sform(1, 1, 0, 0, Float.NaN, 0, 1, 0, 0, 0, 0, 1, 0).bytes()),
                "invalid geometry", "origin");
        assertRejected(write("quat.nii", small().qform(1, Float.POSITIVE_INFINITY, 0, 0, 0, 0, 0).bytes()), "quaternion");
        HandMadeNifti n = small();
        n.header.putFloat(108, Float.NaN);
        assertRejected(write("voxnan.nii", n.bytes()), "vox_offset");
        n.header.putFloat(108, 100f);
        assertRejected(write("voxsmall.nii", n.bytes()), "vox_offset");
        n.header.putFloat(108, 1e9f);
        assertRejected(write("voxfar.nii", n.bytes()), "vox_offset", "beyond the end");
    }

    @Test
    void headersClaimingHugeImagesFailFastWithoutAllocatingThem() throws IOException {
        // 2000 x 2000 x 500 uint8 = 2e9 bytes claimed, a few bytes present
        HandMadeNifti huge = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 2000, 2000, 500, 2, 8).data(1, 1, 2, 3);
        Path nii = write("huge.nii", huge.bytes());
        Path gz = write("huge.nii.gz", huge.gzipped());
        Path nrrd = write("huge.nrrd", ("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2000 2000 500\nencoding: gzip\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        Files.write(nrrd, gzipBytes(new byte[1000]), java.nio.file.StandardOpenOption.APPEND);
        Path tooBig = write("toobig.nii", new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 32767, 32767, 32767, 64, 64).bytes());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            assertRejected(nii, "2000000000 bytes", "holds only 3");
            assertRejected(gz, "truncated voxel data", "holds 3");
            assertRejected(nrrd, "truncated voxel data", "holds 1000");
            assertRejected(tooBig, "invalid geometry");
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertThat(allocated).as("bytes allocated while rejecting").isLessThan(64L << 20);
        });
    }

    private static byte[] gzipBytes(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void corruptGzipIsAFormatError() throws IOException {
        byte[] gz = small().gzipped();
        gz[gz.length / 2] ^= 0x5A;
        gz[gz.length / 2 + 1] ^= 0x33;
        Path p = write("corrupt.nii.gz", gz);
        assertThatThrownBy(() -> VolumeIo.readVolume(p)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(p.toString());
    }

    @Test
    void nrrdHeaderWithoutBlankLineIsBounded() throws IOException {
        byte[] junk = new byte[3 << 20];
        Arrays.fill(junk, (byte) 'a');
        byte[] magic = "NRRD0004\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, junk, 0, magic.length);
        assertRejected(write("long.nrrd", junk), "longer than");
        assertRejected(write("short.nrrd", "NRRD0004\ntype: short\n".getBytes(StandardCharsets.US_ASCII)), "blank line");
    }

    @Test
    void imageAndMaskOnDifferentGridsAreNamed() {
        ImageGeometry g = new ImageGeometry(2, 2, 2, new double[] {1, 1, 1}, new double[] {0, 0, 0},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Volume image = new Volume(g, new float[8]);
        VolumeIo.requireSameGrid(image, new LabelMap(g.withGrid(2, 2, 2, new double[] {1, 1, 1 + 1e-6}, new double[3]),
                new int[8]), "ct.nii", "seg.nii");
        assertThatThrownBy(() -> VolumeIo.requireSameGrid(image, new LabelMap(ImageGeometry.of(2, 2, 1, 1, 1, 1), new int[4]),
                "ct.nii", "seg.nii")).isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("ct.nii", "seg.nii", "2x2x1");
        LabelMap shifted = new LabelMap(g.withGrid(2, 2, 2, new double[] {1, 1, 1}, new double[] {0, 0, 0.5}), new int[8]);
        assertThatThrownBy(() -> VolumeIo.requireSameGrid(image, shifted, "ct.nii", "seg.nii"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("0.5");
        LabelMap flipped = new LabelMap(new ImageGeometry(2, 2, 2, new double[] {1, 1, 1}, new double[3],
                new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}), new int[8]);
        assertThatThrownBy(() -> VolumeIo.requireSameGrid(image, flipped, "ct.nii", "seg.nii"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("direction");
    }

    @Test
    void aCtPassedAsTheLabelMapIsRefused() {
        Path ct = SharedData.file("data/totalsegmentator/example_ct_sm.nii.gz");
        assertThatThrownBy(() -> VolumeIo.readLabels(ct)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(ct.toString())
                .hasMessageContainingAll("is not a label map", "more than 1000 distinct values", "Was a CT passed as the label map?");
        assertThat(VolumeIo.readLabels(SharedData.file("data/totalsegmentator/example_seg.nii.gz")).presentLabels()).contains(31);
    }
}
