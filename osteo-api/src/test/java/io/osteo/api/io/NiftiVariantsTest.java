package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.volume.ImageGeometry;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NIfTI-1 datatypes, byte orders, scaling and the three geometry methods, on hand-made files. */
class NiftiVariantsTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    static Stream<Arguments> datatypes() {
        return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN).flatMap(order -> Stream.of(
                Arguments.of(order, 2, 8, 1, new double[] {0, 1, 200, 255}),
                Arguments.of(order, 256, 8, 1, new double[] {-128, -1, 0, 127}),
                Arguments.of(order, 4, 16, 2, new double[] {-32768, -1024, 0, 32767}),
                Arguments.of(order, 512, 16, 2, new double[] {0, 1, 40000, 65535}),
                Arguments.of(order, 8, 32, 4, new double[] {-2_000_000, -1, 0, 16_777_216}),
                Arguments.of(order, 16, 32, 4, new double[] {-1024, 0, 3, 1e6}),
                Arguments.of(order, 64, 64, 8, new double[] {-1024, 0, 7, 65536})));
    }

    @ParameterizedTest(name = "{0} datatype {1}")
    @MethodSource("datatypes")
    void everyDatatypeInBothByteOrdersReadsAsVolumeAndAsLabels(ByteOrder order, int datatype, int bitpix, int bytes,
            double[] values) throws IOException {
        HandMadeNifti n = new HandMadeNifti(order, 2, 2, 1, datatype, bitpix).data(bytes, values);
        Path nii = write("t.nii", n.bytes());
        Path gz = write("t.nii.gz", n.gzipped());
        for (Path p : new Path[] {nii, gz}) {
            float[] v = VolumeIo.readVolume(p).toArray();
            int[] l = VolumeIo.readLabels(p).toArray();
            for (int i = 0; i < 4; i++) {
                assertThat(v[i]).isEqualTo((float) values[i]);
                assertThat(l[i]).isEqualTo((int) values[i]);
            }
        }
    }

    @Test
    void sclSlopeAndInterceptApplyToVolumesAndSlopeZeroMeansNone() throws IOException {
        HandMadeNifti n = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 3, 1, 1, 512, 16).data(2, 0, 1000, 2024);
        n.scaling(1f, -1024f);
        assertThat(VolumeIo.readVolume(write("a.nii", n.bytes())).toArray()).containsExactly(-1024f, -24f, 1000f);
        n.scaling(0.5f, 0f);
        assertThat(VolumeIo.readVolume(write("b.nii", n.bytes())).toArray()).containsExactly(0f, 500f, 1012f);
        n.scaling(0f, 99f);
        assertThat(VolumeIo.readVolume(write("c.nii", n.bytes())).toArray()).containsExactly(0f, 1000f, 2024f);
        n.scaling(0.5f, 0f); // labels after scaling must still be integers: 0, 500, 1012 are
        assertThat(VolumeIo.readLabels(write("d.nii", n.bytes())).toArray()).containsExactly(0, 500, 1012);
    }

    @Test
    void qformQuaternionGivesRotatedGridInLps() throws IOException {
        float s = (float) Math.sqrt(0.5);
        // 90 degrees about z in RAS: i -> +y(A), j -> -x(L); origin RAS (10, 20, 30)
        HandMadeNifti n = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 2, 2, 2, 2, 8).data(1, new double[8])
                .pixdim(1f, 2f, 3f, 4f).qform(1, 0f, 0f, s, 10f, 20f, 30f);
        ImageGeometry g = VolumeIo.readVolume(write("q.nii", n.bytes())).geometry();
        assertThat(g.spacing()).containsExactly(new double[] {2, 3, 4}, within(1e-6));
        assertThat(g.origin()).containsExactly(-10, -20, 30);
        // RAS columns (0,1,0), (-1,0,0), (0,0,1) -> LPS (0,-1,0), (1,0,0), (0,0,1)
        assertThat(g.direction()).containsExactly(new double[] {0, 1, 0, -1, 0, 0, 0, 0, 1}, within(1e-6));

        n.pixdim(-1f, 2f, 3f, 4f); // qfac -1 flips k
        ImageGeometry flipped = VolumeIo.readVolume(write("qf.nii", n.bytes())).geometry();
        assertThat(flipped.direction()).containsExactly(new double[] {0, 1, 0, -1, 0, 0, 0, 0, -1}, within(1e-6));
    }

    @Test
    void sformWinsOverQformAndPixdimAloneGivesRasAxesAtZero() throws IOException {
        HandMadeNifti n = new HandMadeNifti(ByteOrder.BIG_ENDIAN, 2, 2, 2, 2, 8).data(1, new double[8])
                .pixdim(1f, 2f, 3f, 4f).qform(1, 0f, 0f, 1f, 1f, 2f, 3f)
                .sform(2, 0f, 0f, 5f, -7f, 0.5f, 0f, 0f, 8f, 0f, -0.25f, 0f, 9f);
        ImageGeometry g = VolumeIo.readVolume(write("s.nii", n.bytes())).geometry();
        assertThat(g.spacing()).containsExactly(0.5, 0.25, 5.0);
        assertThat(g.origin()).containsExactly(7, -8, 9);
        // RAS columns i=(0,.5,0), j=(0,0,-.25), k=(5,0,0) -> LPS (0,-1,0), (0,0,-1), (-1,0,0)
        assertThat(g.direction()).containsExactly(0, 0, -1, -1, 0, 0, 0, -1, 0);

        HandMadeNifti plain = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 2, 2, 2, 2, 8).data(1, new double[8])
                .pixdim(0f, 2f, 3f, 4f);
        ImageGeometry p = VolumeIo.readVolume(write("p.nii", plain.bytes())).geometry();
        assertThat(p.spacing()).containsExactly(2, 3, 4);
        assertThat(p.origin()).containsExactly(0, 0, 0);
        assertThat(p.direction()).containsExactly(-1, 0, 0, 0, -1, 0, 0, 0, 1);
    }

    @Test
    void metreUnitsBecomeMillimetres() throws IOException {
        HandMadeNifti n = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 2, 1, 1, 2, 8).data(1, 0, 0).pixdim(1f, 0.002f, 0.003f, 0.004f);
        n.header.put(123, (byte) 1);
        assertThat(VolumeIo.readVolume(write("m.nii", n.bytes())).geometry().spacing())
                .containsExactly(new double[] {2, 3, 4}, within(1e-4));
    }

    @Test
    void twoDimensionalAndSingletonFourthDimensionAreVolumes() throws IOException {
        HandMadeNifti twoD = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 1, 1, 1, 2, 8).dims(2, 3, 2).data(1, 1, 2, 3, 4, 5, 6)
                .pixdim(1f, 0.5f, 0.5f, 0f);
        ImageGeometry g = VolumeIo.readVolume(write("2d.nii", twoD.bytes())).geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(3, 2, 1);
        assertThat(g.spacing(2)).isEqualTo(1.0);

        HandMadeNifti fourD = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 1, 1, 1, 2, 8).dims(4, 2, 1, 1, 1).data(1, 7, 8);
        assertThat(VolumeIo.readVolume(write("4d1.nii", fourD.bytes())).toArray()).containsExactly(7f, 8f);

        fourD.dims(4, 1, 1, 1, 2);
        Path real4d = write("4d.nii", fourD.bytes());
        assertThatThrownBy(() -> VolumeIo.readVolume(real4d)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("4d.nii").hasMessageContaining("4D").hasMessageContaining("dim[4] = 2");
    }

    @Test
    void floatLabelsMustBeIntegral() throws IOException {
        HandMadeNifti ok = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 3, 1, 1, 16, 32).data(4, 0, 33, 2);
        assertThat(VolumeIo.readLabels(write("ok.nii", ok.bytes())).toArray()).containsExactly(0, 33, 2);
        HandMadeNifti bad = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 3, 1, 1, 16, 32).data(4, 0, 1, 2.5);
        Path p = write("bad.nii", bad.bytes());
        assertThatThrownBy(() -> VolumeIo.readLabels(p)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("bad.nii").hasMessageContaining("2.5").hasMessageContaining("(2, 0, 0)");
        HandMadeNifti nan = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 1, 1, 1, 64, 64).data(8, Double.NaN);
        Path q = write("nan.nii", nan.bytes());
        assertThatThrownBy(() -> VolumeIo.readLabels(q)).isInstanceOf(VolumeFormatException.class).hasMessageContaining("NaN");
    }
}
