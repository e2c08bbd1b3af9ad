package io.osteo.api.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transfer syntax of {@code dicom.md}, written by {@link DicomTestWriter} and read back:
 * exact HU for the lossless ones, geometry from positions, and the pixel-module variants (bits
 * stored below allocated with junk high bits, sign extension, unsigned with negative intercept,
 * fractional slope, 8/32-bit, MONOCHROME1, no preamble, fragments, JPEG predictors, padding).
 */
class DicomSyntaxTest {
    @TempDir
    Path dir;

    private static final int NX = 9;
    private static final int NY = 7;
    private static final int NZ = 4;

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void everySyntaxReadsBackExactly(TransferSyntax syntax) {
        boolean j2k = syntax.codec() == TransferSyntax.Codec.JPEG_2000;
        int nx = j2k ? 24 : NX; // lossy JPEG 2000 needs more pixels than its header overhead
        int ny = j2k ? 20 : NY;
        Fixtures.Written w = Fixtures.series(dir, nx, ny, NZ, 2.5, 11L + syntax.ordinal(), im -> {
            im.syntax = syntax;
            if (j2k) { // the J2K fixture writer encodes unsigned samples: a negative intercept gives HU
                im.signed = false;
                im.bitsStored = 12;
                im.highBit = 11;
                im.intercept = -1024.0;
            }
        });
        DicomVolume dv = DicomSeriesReader.builder().threads(2).build().readSeries(dir);
        Volume v = dv.volume();
        assertThat(dv.series().transferSyntax()).isEqualTo(syntax);
        assertThat(dv.series().sliceCount()).isEqualTo(NZ);
        assertGeometry(v.geometry(), w);
        if (syntax == TransferSyntax.JPEG_2000) {
            double err = 0;
            for (int i = 0; i < w.expectedHu().length; i++) {
                err += Math.abs(v.get(i) - w.expectedHu()[i]);
            }
            err /= w.expectedHu().length;
            assertThat(err).as("mean abs error of lossy JPEG 2000, HU").isLessThan(150);
            assertThat(v.toArray()).isNotEqualTo(w.expectedHu()); // lossy indeed: the test compares, not copies
        } else {
            assertThat(v.toArray()).isEqualTo(w.expectedHu());
        }
    }

    @Test
    void lossyJpeg2000AtHighRateIsClose() {
        Fixtures.Written w = Fixtures.series(dir, 32, 32, 2, 1.0, 5L, im -> {
            im.syntax = TransferSyntax.JPEG_2000;
            im.signed = false;
            im.bitsStored = 12;
            im.highBit = 11;
            im.intercept = -1024.0;
            im.j2kRate = 14;
        });
        Volume v = DicomSeriesReader.builder().build().read(dir);
        double err = 0;
        for (int i = 0; i < w.expectedHu().length; i++) {
            err += Math.abs(v.get(i) - w.expectedHu()[i]);
        }
        assertThat(err / w.expectedHu().length).isLessThan(20);
    }

    @ParameterizedTest
    @EnumSource(value = TransferSyntax.class, names = {"EXPLICIT_VR_LITTLE_ENDIAN", "EXPLICIT_VR_BIG_ENDIAN",
        "IMPLICIT_VR_LITTLE_ENDIAN", "RLE_LOSSLESS", "JPEG_LOSSLESS_SV1"})
    void unsigned12BitWithJunkHighBitsAndNegativeIntercept(TransferSyntax syntax) {
        check(im -> {
            im.syntax = syntax;
            im.signed = false;
            im.bitsStored = 12;
            im.highBit = 11;
            im.junkHighBits = 0xA; // overlay-era junk above the stored bits must be masked off
            im.intercept = -1024.0;
        });
    }

    @ParameterizedTest
    @EnumSource(value = TransferSyntax.class, names = {"EXPLICIT_VR_LITTLE_ENDIAN", "EXPLICIT_VR_BIG_ENDIAN",
        "RLE_LOSSLESS", "JPEG_LOSSLESS_SV1"})
    void signed12BitIsSignExtended(TransferSyntax syntax) {
        check(im -> {
            im.syntax = syntax;
            im.signed = true;
            im.bitsStored = 12;
            im.highBit = 11;
        });
    }

    @Test
    void highBitAboveStoredBitsShiftsSamples() {
        check(im -> {
            im.bitsStored = 12;
            im.highBit = 13;
            im.signed = false;
            im.junkHighBits = 0x3;
        });
    }

    @Test
    void fractionalSlopeAndIntercept() {
        check(im -> {
            im.slope = 0.5;
            im.intercept = -1024.25;
        });
    }

    @Test
    void missingRescaleMeansIdentity() {
        check(im -> {
            im.slope = null;
            im.intercept = null;
        });
    }

    @ParameterizedTest
    @EnumSource(value = TransferSyntax.class, names = {"EXPLICIT_VR_LITTLE_ENDIAN", "EXPLICIT_VR_BIG_ENDIAN",
        "RLE_LOSSLESS"})
    void eightAndThirtyTwoBitSamples(TransferSyntax syntax) {
        check(im -> {
            im.syntax = syntax;
            im.bitsAllocated = 8;
            im.bitsStored = 8;
            im.highBit = 7;
            im.signed = false;
            im.intercept = -100.0;
        });
        if (syntax != TransferSyntax.RLE_LOSSLESS) {
            check(im -> {
                im.syntax = syntax;
                im.bitsAllocated = 32;
                im.bitsStored = 32;
                im.highBit = 31;
                im.signed = true;
            });
        }
    }

    @Test
    void monochrome1KeepsModalityValues() {
        check(im -> im.photometric = "MONOCHROME1");
    }

    @Test
    void fileWithoutPreambleOrMetaIsImplicitLittleEndian() {
        check(im -> {
            im.syntax = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
            im.preamble = false;
        });
    }

    @ParameterizedTest
    @EnumSource(value = TransferSyntax.class, names = {"RLE_LOSSLESS", "JPEG_LOSSLESS_SV1", "JPEG_2000_LOSSLESS"})
    void pixelDataInSeveralFragments(TransferSyntax syntax) {
        check(im -> {
            im.syntax = syntax;
            im.fragments = 3;
            im.signed = false;
            im.bitsStored = 12;
            im.highBit = 11;
            im.intercept = -1024.0;
        });
    }

    @Test
    void everyJpegPredictorOfProcess14() {
        for (int p = 1; p <= 7; p++) {
            int predictor = p;
            check(im -> {
                im.syntax = TransferSyntax.JPEG_LOSSLESS_PROCESS_14;
                im.jpegPredictor = predictor;
            });
        }
    }

    @Test
    void paddingValueReplacedOnlyWhenAsked() {
        Fixtures.Written w = Fixtures.series(dir, NX, NY, 2, 1.0, 3L, im -> im.padding = -2000);
        // make some voxels padding
        for (DicomTestWriter.Image im : w.images()) {
            im.samples[5] = -2000;
        }
        for (int k = 0; k < 2; k++) {
            DicomTestWriter.write(w.images().get(k), w.files().get(k));
        }
        Volume plain = DicomSeriesReader.builder().build().read(dir);
        assertThat(plain.get(5)).isEqualTo(-2000f);
        DicomVolume replaced = DicomSeriesReader.builder().paddingHu(-1024f).build().readSeries(dir);
        assertThat(replaced.volume().get(5)).isEqualTo(-1024f);
        assertThat(replaced.volume().get(NX * NY + 5)).isEqualTo(-1024f);
        assertThat(replaced.volume().get(6)).isEqualTo(plain.get(6));
        assertThat(replaced.notes()).anyMatch(n -> n.contains("PixelPaddingValue"));
    }

    @Test
    void obliqueGeometryPlacesEveryVoxelWhereItsSliceSays() {
        double a = Math.toRadians(20);
        double t = Math.toRadians(10);
        Path d2 = dir.resolve("oblique");
        double[] row = {Math.cos(a), Math.sin(a), 0};
        double[] colOrth = orthonormalise(row, new double[] {0, Math.cos(t), -Math.sin(t)});
        double[] iop = {row[0], row[1], row[2], colOrth[0], colOrth[1], colOrth[2]};
        Fixtures.Written w = Fixtures.series(d2, NX, NY, 5, 1.25, 9L, im -> im.orientation = iop);
        Volume v = DicomSeriesReader.builder().build().read(d2);
        assertThat(v.toArray()).isEqualTo(w.expectedHu());
        assertGeometry(v.geometry(), w);
    }

    private static double[] orthonormalise(double[] r, double[] c) {
        double d = r[0] * c[0] + r[1] * c[1] + r[2] * c[2];
        double[] o = {c[0] - d * r[0], c[1] - d * r[1], c[2] - d * r[2]};
        double n = Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
        return new double[] {o[0] / n, o[1] / n, o[2] / n};
    }

    private void check(Consumer<DicomTestWriter.Image> config) {
        Path d = dir.resolve("case" + System.nanoTime());
        Fixtures.Written w = Fixtures.series(d, NX, NY, NZ, 2.5, 7L, config);
        Volume v = DicomSeriesReader.builder().threads(2).build().read(d);
        assertThat(v.toArray()).isEqualTo(w.expectedHu());
        assertGeometry(v.geometry(), w);
    }

    /** Voxel (i, j, k) lies at IPP_k + i * colSpacing * row + j * rowSpacing * column, in slice order. */
    static void assertGeometry(ImageGeometry g, Fixtures.Written w) {
        DicomTestWriter.Image first = w.images().get(0);
        assertThat(g.nx()).isEqualTo(first.columns);
        assertThat(g.ny()).isEqualTo(first.rows);
        assertThat(g.nz()).isEqualTo(w.images().size());
        double[] o = first.orientation;
        for (int k = 0; k < g.nz(); k++) {
            double[] ipp = w.images().get(k).position;
            for (int[] ij : new int[][] {{0, 0}, {g.nx() - 1, 0}, {0, g.ny() - 1}, {g.nx() - 1, g.ny() - 1}}) {
                double[] world = g.indexToWorld(ij[0], ij[1], k);
                for (int a = 0; a < 3; a++) {
                    double expected = ipp[a] + ij[0] * first.pixelSpacing[1] * o[a]
                            + ij[1] * first.pixelSpacing[0] * o[3 + a];
                    assertThat(world[a]).as("world axis %d of voxel (%d, %d, %d)", a, ij[0], ij[1], k)
                            .isCloseTo(expected, within(1e-6));
                }
            }
        }
    }
}
