package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing: truncates and flips bytes of small hand-made files and of the shared real files
 * (raw bytes, and for gzip files also the decompressed content, recompressed, so the header
 * parsers see the damage) and reads each result as volume and as labels. The only acceptable
 * outcomes are a successful read or a {@link VolumeFormatException} naming the file: never an
 * ArrayIndexOutOfBounds, NullPointer, NumberFormat, OutOfMemory, another exception type, or a hang.
 */
class FuzzTest {
    private static final long SEED = 20251126L;

    @TempDir
    Path dir;

    private int reads;
    private int rejected;

    @Test
    void damagedFilesOnlyEverGiveVolumeFormatExceptions() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            Random rnd = new Random(SEED);
            // hand-made small files: many iterations
            HandMadeNifti le = new HandMadeNifti(ByteOrder.LITTLE_ENDIAN, 5, 4, 3, 4, 16).data(2, new double[60])
                    .sform(1, 2, 0, 0, -10, 0, 2, 0, 5, 0, 0, 3, 7);
            HandMadeNifti be = new HandMadeNifti(ByteOrder.BIG_ENDIAN, 3, 3, 2, 16, 32).data(4, new double[18])
                    .pixdim(-1f, 0.5f, 0.5f, 2f).qform(1, 0.1f, 0.2f, 0.3f, 1f, 2f, 3f);
            fuzz("small.nii", le.bytes(), 150, rnd);
            fuzz("small.nii.gz", le.gzipped(), 150, rnd);
            fuzz("bigendian.nii", be.bytes(), 150, rnd);
            String header = "NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 3 2 2\n"
                    + "space directions: (0.5,0,0) (0,0.5,0) (0,0,2)\nkinds: domain domain domain\nendian: little\n"
                    + "encoding: raw\nspace origin: (1,2,3)\n\n";
            byte[] h = header.getBytes(StandardCharsets.US_ASCII);
            fuzz("small.nrrd", concat(h, new byte[24]), 150, rnd);
            byte[] hz = header.replace("encoding: raw", "encoding: gzip").getBytes(StandardCharsets.US_ASCII);
            fuzz("smallgz.nrrd", concat(hz, gzip(new byte[24])), 150, rnd);
            String ascii = header.replace("encoding: raw", "encoding: ascii");
            fuzz("ascii.nrrd", (ascii + "1 2 3 4 5 6\n7 8 9 10 11 12\n").getBytes(StandardCharsets.US_ASCII), 120, rnd);
            // the shared real files: fewer iterations on the large ones
            fuzz("seg.nii.gz", Files.readAllBytes(SharedData.file("data/totalsegmentator/example_seg.nii.gz")), 30, rnd);
            fuzz("ct.nii.gz", Files.readAllBytes(SharedData.file("data/totalsegmentator/example_ct_sm.nii.gz")), 20, rnd);
            fuzz("breast1_label.nrrd", Files.readAllBytes(SharedData.file("conformance/pyradiomics/breast1_label.nrrd")), 150, rnd);
            fuzz("brain1_label.nrrd", Files.readAllBytes(SharedData.file("conformance/pyradiomics/brain1_label.nrrd")), 20, rnd);
            fuzz("breast1_image.nrrd", Files.readAllBytes(SharedData.file("conformance/pyradiomics/breast1_image.nrrd")), 40, rnd);
            fuzz("brain1_image.nrrd", Files.readAllBytes(SharedData.file("conformance/pyradiomics/brain1_image.nrrd")), 10, rnd);
        });
        // the damage must actually reach the parsers: both outcomes occur, plenty of rejections
        assertThat(rejected).isGreaterThan(reads / 5);
        assertThat(reads - rejected).isPositive();
    }

    private void fuzz(String name, byte[] original, int iterations, Random rnd) throws IOException {
        Path file = dir.resolve(name);
        boolean gz = original.length > 2 && (original[0] & 0xFF) == 0x1f && (original[1] & 0xFF) == 0x8b;
        byte[] plain = gz ? gunzip(original) : null;
        for (int it = 0; it < iterations; it++) {
            int kind = rnd.nextInt(gz ? 5 : 3);
            byte[] damaged = switch (kind) {
                case 0 -> Arrays.copyOf(original, rnd.nextInt(original.length));
                case 1 -> flip(original, original.length, rnd);
                case 2 -> flip(original, Math.min(original.length, 512), rnd);
                case 3 -> gzip(flip(plain, Math.min(plain.length, 400), rnd));
                default -> gzip(Arrays.copyOf(plain, rnd.nextInt(plain.length)));
            };
            Files.write(file, damaged);
            String what = name + " iteration " + it + " damage " + kind + " (seed " + SEED + ")";
            readBoth(file, what);
        }
    }

    /** Reads as volume and, when that succeeds (the header is fine), also as labels. */
    private void readBoth(Path file, String what) {
        for (int mode = 0; mode < 2; mode++) {
            reads++;
            try {
                if (mode == 0) {
                    VolumeIo.readVolume(file);
                } else {
                    VolumeIo.readLabels(file);
                }
            } catch (VolumeFormatException e) {
                rejected++;
                assertThat(e.getMessage()).as(what).startsWith(file.toString());
                return;
            } catch (Throwable t) {
                throw new AssertionError(what + ": unexpected " + t, t);
            }
        }
    }

    private static byte[] flip(byte[] data, int range, Random rnd) {
        byte[] out = data.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int f = 0; f < flips && range > 0; f++) {
            int at = rnd.nextInt(range);
            out[at] = rnd.nextBoolean() ? (byte) (out[at] ^ (1 << rnd.nextInt(8))) : (byte) rnd.nextInt(256);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(data);
        }
        return bos.toByteArray();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }
}
