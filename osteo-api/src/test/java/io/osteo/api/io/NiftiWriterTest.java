package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NiftiWriterTest {
    @TempDir
    Path dir;

    /** Rotation by {@code angle} about the unit axis (x, y, z), row-major, columns = axis directions. */
    private static double[] rotation(double x, double y, double z, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[] {
            t * x * x + c, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c
        };
    }

    private static double[] flipK(double[] m) {
        double[] f = m.clone();
        f[2] = -f[2];
        f[5] = -f[5];
        f[8] = -f[8];
        return f;
    }

    private static Volume randomVolume(ImageGeometry g, long seed) {
        Random r = new Random(seed);
        float[] v = new float[g.voxelCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 400 - 200);
        }
        return Volume.wrap(g, v);
    }

    private static ByteBuffer bytes(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        if (p.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                b = in.readAllBytes();
            }
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void assertSameGeometry(ImageGeometry actual, ImageGeometry expected, double tol) {
        assertThat(new int[] {actual.nx(), actual.ny(), actual.nz()})
                .containsExactly(expected.nx(), expected.ny(), expected.nz());
        assertThat(actual.spacing()).containsExactly(expected.spacing(), within(tol));
        assertThat(actual.origin()).containsExactly(expected.origin(), within(tol * 100));
        assertThat(actual.direction()).containsExactly(expected.direction(), within(tol));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v.nii", "v.nii.gz"})
    void float32RoundTripKeepsVoxelsAndRepresentableGeometryExactly(String name) {
        ImageGeometry g = new ImageGeometry(7, 5, 3, new double[] {0.5, 1.25, 2.0}, new double[] {-100.25, 50.5, 12.0},
                new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1});
        Volume v = randomVolume(g, 1);
        Path file = dir.resolve(name);
        VolumeIo.writeNifti(v, file);
        Volume back = VolumeIo.readVolume(file);
        assertThat(back.geometry()).isEqualTo(g);
        assertThat(back.toArray()).containsExactly(v.toArray());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void obliqueAndLeftHandedGridsSurviveViaSformAndViaQform(boolean leftHanded) throws IOException {
        double[] rot = rotation(0.48, -0.6, 0.64, 0.7);
        ImageGeometry g = new ImageGeometry(4, 6, 5, new double[] {0.7, 0.9, 3.3}, new double[] {12.3, -45.6, 78.9},
                leftHanded ? flipK(rot) : rot);
        Volume v = randomVolume(g, 2);
        Path file = dir.resolve("oblique.nii");
        VolumeIo.writeNifti(v, file);
        assertSameGeometry(VolumeIo.readVolume(file).geometry(), g, 1e-6);

        ByteBuffer h = bytes(file);
        assertThat(h.getFloat(76)).as("qfac").isEqualTo(leftHanded ? -1f : 1f);
        // the same file read through its qform only (sform_code = 0) gives the same grid
        byte[] all = h.array();
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putShort(254, (short) 0);
        Path qformOnly = dir.resolve("qform.nii");
        Files.write(qformOnly, all);
        Volume viaQform = VolumeIo.readVolume(qformOnly);
        assertSameGeometry(viaQform.geometry(), g, 1e-6);
        assertThat(viaQform.toArray()).containsExactly(v.toArray());
    }

    @Test
    void headerIsStandardNifti1WithRasSform() throws IOException {
        ImageGeometry g = new ImageGeometry(3, 2, 2, new double[] {0.5, 0.75, 2}, new double[] {10, 20, 30},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Path file = dir.resolve("h.nii");
        VolumeIo.writeNifti(randomVolume(g, 3), file);
        ByteBuffer h = bytes(file);
        assertThat(h.getInt(0)).isEqualTo(348);
        assertThat(h.getFloat(108)).isEqualTo(352f);
        assertThat(h.get(344)).isEqualTo((byte) 'n');
        assertThat(h.get(345)).isEqualTo((byte) '+');
        assertThat(h.get(346)).isEqualTo((byte) '1');
        assertThat(h.getShort(70)).as("float32").isEqualTo((short) 16);
        assertThat(h.getShort(72)).as("bitpix").isEqualTo((short) 32);
        assertThat(h.limit()).isEqualTo(352 + 12 * 4);
        // LPS identity is RAS diag(-1, -1, 1); LPS origin (10, 20, 30) is RAS (-10, -20, 30)
        float[] srow = new float[12];
        for (int i = 0; i < 12; i++) {
            srow[i] = h.getFloat(280 + 4 * i);
        }
        assertThat(srow).containsExactly(-0.5f, 0, 0, -10, 0, -0.75f, 0, -20, 0, 0, 2, 30);
        // quaternion of diag(-1, -1, 1) is a 180 degree turn about z: (b, c, d) = (0, 0, 1)
        assertThat(new float[] {h.getFloat(256), h.getFloat(260), h.getFloat(264)}).containsExactly(0f, 0f, 1f);
    }

    @Test
    void rewritingTheTotalSegmentatorCtReproducesItsSformAndVoxels() throws IOException {
        Path original = SharedData.file("data/totalsegmentator/example_ct_sm.nii.gz");
        Volume ct = VolumeIo.readVolume(original);
        Path file = dir.resolve("ct.nii.gz");
        VolumeIo.writeNiftiInt16(ct, file);
        ByteBuffer a = bytes(original);
        ByteBuffer b = bytes(file);
        for (int i = 0; i < 12; i++) {
            assertThat(b.getFloat(280 + 4 * i)).as("srow[%d]", i).isEqualTo(a.getFloat(280 + 4 * i));
        }
        Volume back = VolumeIo.readVolume(file);
        assertThat(back.geometry()).isEqualTo(ct.geometry());
        assertThat(back.toArray()).isEqualTo(ct.toArray());
    }

    @Test
    void int16RoundsAndRefusesValuesOutsideItsRange() {
        ImageGeometry g = ImageGeometry.of(4, 1, 1, 1, 1, 1);
        Path file = dir.resolve("i.nii.gz");
        VolumeIo.writeNiftiInt16(new Volume(g, new float[] {-1024.4f, 2.5f, 3.5f, 32767.2f}), file);
        assertThat(VolumeIo.readVolume(file).toArray()).containsExactly(-1024f, 2f, 4f, 32767f);

        Path bad = dir.resolve("bad.nii");
        assertThatThrownBy(() -> VolumeIo.writeNiftiInt16(new Volume(g, new float[] {0, 40000, 0, 0}), bad))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bad.nii").hasMessageContaining("40000");
        assertThatThrownBy(() -> VolumeIo.writeNiftiInt16(new Volume(g, new float[] {0, 0, Float.NaN, 0}), bad))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("(2, 0, 0)");
        assertThat(bad).doesNotExist();
    }

    @Test
    void labelsUseInt16WhenTheyFitAndInt32Otherwise() throws IOException {
        ImageGeometry g = new ImageGeometry(3, 2, 1, new double[] {1, 1, 1}, new double[] {1, 2, 3},
                new double[] {0, 1, 0, 1, 0, 0, 0, 0, -1});
        LabelMap small = new LabelMap(g, new int[] {0, 30, 31, 32, 33, -5});
        LabelMap large = new LabelMap(g, new int[] {0, 1, 70000, 2, -40000, 3});
        Path a = dir.resolve("small.nii.gz");
        Path b = dir.resolve("large.nii");
        VolumeIo.writeNifti(small, a);
        VolumeIo.writeNifti(large, b);
        assertThat(bytes(a).getShort(70)).isEqualTo((short) 4);
        assertThat(bytes(b).getShort(70)).isEqualTo((short) 8);
        assertThat(VolumeIo.readLabels(a).toArray()).containsExactly(small.toArray());
        assertThat(VolumeIo.readLabels(b).toArray()).containsExactly(large.toArray());
        assertThat(VolumeIo.readLabels(b).geometry()).isEqualTo(g);
    }

    @Test
    void writerRejectsOtherExtensionsAndMissingDirectories() {
        Volume v = new Volume(ImageGeometry.of(1, 1, 1, 1, 1, 1), new float[] {1});
        assertThatThrownBy(() -> VolumeIo.writeNifti(v, dir.resolve("x.nrrd")))
                .isInstanceOf(VolumeFormatException.class).hasMessageContaining("x.nrrd");
        assertThatThrownBy(() -> VolumeIo.writeNifti(v, dir.resolve("x.mha")))
                .isInstanceOf(VolumeFormatException.class).hasMessageContaining("extension");
        assertThatThrownBy(() -> VolumeIo.writeNifti(v, dir.resolve("missing/x.nii")))
                .isInstanceOf(VolumeFormatException.class).hasMessageContaining("does not exist");
    }
}
