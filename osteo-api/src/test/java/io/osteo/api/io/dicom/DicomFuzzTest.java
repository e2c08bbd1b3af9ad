package io.osteo.api.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the DICOM reader: files of every codec family (and two real slices of the
 * shared series) are truncated, have bytes flipped, or get lying lengths (random 16/32-bit
 * values, 0xFFFFFFFF, written over the file), and are read as a one-file series. The only
 * acceptable outcomes are a volume or a {@link DicomFormatException}: never an
 * ArrayIndexOutOfBounds, NullPointer, OutOfMemory, another exception type, or a hang.
 */
class DicomFuzzTest {
    private static final long SEED = 20261203L;

    @TempDir
    Path dir;

    private int reads;
    private int rejected;

    @Test
    void damagedFilesOnlyEverGiveDicomFormatExceptions() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        Random data = new Random(SEED);
        for (TransferSyntax ts : TransferSyntax.values()) {
            DicomTestWriter.Image im = new DicomTestWriter.Image(12, 10, null);
            im.syntax = ts;
            if (ts.codec() == TransferSyntax.Codec.JPEG_2000) {
                im.signed = false;
                im.bitsStored = 12;
                im.highBit = 11;
                im.j2kRate = 14;
            }
            im.samples = Fixtures.samples(im, 120, data);
            seeds.put(ts.name(), DicomTestWriter.encode(im));
        }
        DicomTestWriter.Image bare = new DicomTestWriter.Image(12, 10, null);
        bare.syntax = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        bare.preamble = false;
        bare.samples = Fixtures.samples(bare, 120, data);
        seeds.put("bare", DicomTestWriter.encode(bare));
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            Random rnd = new Random(SEED);
            for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
                fuzz(e.getKey(), e.getValue(), 70, rnd);
            }
            fuzz("shared-explicit", Files.readAllBytes(
                    SharedDicomTest.shared("data/dicom/example_ct_sm_explicit_le/IM0007.dcm")), 40, rnd);
            fuzz("shared-j2k", Files.readAllBytes(
                    SharedDicomTest.shared("data/dicom/example_ct_sm_j2k_lossless/IM0007.dcm")), 40, rnd);
        });
        assertThat(rejected).as("damage must reach the parser").isGreaterThan(reads / 4);
        assertThat(reads - rejected).as("some damage is harmless (pixel bytes)").isPositive();
    }

    private void fuzz(String name, byte[] original, int iterations, Random rnd) throws IOException {
        DicomSeriesReader reader = DicomSeriesReader.builder().threads(1)
                .codecTimeout(Duration.ofSeconds(5)).build();
        for (int it = 0; it < iterations; it++) {
            int kind = rnd.nextInt(4);
            byte[] damaged = switch (kind) {
                case 0 -> Arrays.copyOf(original, rnd.nextInt(original.length));
                case 1 -> flip(original, rnd);
                case 2 -> lie(original, rnd);
                default -> lie(flip(original, rnd), rnd);
            };
            Path folder = dir.resolve(name + "-" + it);
            Files.createDirectories(folder);
            Path file = folder.resolve("x.dcm");
            Files.write(file, damaged);
            reads++;
            try {
                reader.read(folder);
            } catch (DicomFormatException ex) {
                rejected++;
                assertThat(ex.getMessage()).startsWith(folder.toString());
            } catch (RuntimeException | Error ex) { // includes a VolumeFormatException that is not DICOM-typed
                throw new AssertionError(name + " iteration " + it + " (damage kind " + kind + ") threw " + ex, ex);
            }
            Files.delete(file);
            Files.delete(folder);
        }
    }

    private static byte[] flip(byte[] original, Random rnd) {
        byte[] b = original.clone();
        int n = 1 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
    }

    /** Writes a lying length (random, huge, undefined, or off by a few) somewhere in the first 1 KiB or anywhere. */
    private static byte[] lie(byte[] original, Random rnd) {
        byte[] b = original.clone();
        int span = rnd.nextBoolean() ? Math.min(b.length, 1024) : b.length;
        int at = rnd.nextInt(Math.max(1, span - 4));
        long v = switch (rnd.nextInt(4)) {
            case 0 -> 0xFFFFFFFFL;
            case 1 -> rnd.nextInt() & 0xFFFFFFFFL;
            case 2 -> rnd.nextInt(1 << 16);
            default -> (b[at] & 0xFF) + rnd.nextInt(9) - 4;
        };
        int bytes = rnd.nextBoolean() ? 4 : 2;
        for (int i = 0; i < bytes && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
