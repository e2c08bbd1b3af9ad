package io.osteo.benchmarks;

import io.osteo.api.io.dicom.DicomSeriesReader;
import io.osteo.api.volume.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Reading a 512 x 512 x 300 uncompressed CT series (explicit VR little endian, signed 16-bit,
 * 150 MiB in 300 files) with {@link DicomSeriesReader}, as {@code dicom.md} asks: median wall
 * time of timed runs after warm-up, with 1 thread and with all processors, and the system load
 * average at the time (the figure is only meaningful on an idle machine). The series is generated
 * into a temporary folder (seeded) and deleted afterwards; the files sit in the page cache, so this
 * measures the parser and decoder, not the disk.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.osteo.benchmarks.DicomReadBenchmark
 * [slices, default 300] [timed runs, default 5]}, or through the examples class path.
 */
public final class DicomReadBenchmark {
    private DicomReadBenchmark() {}

    public static void main(String[] args) throws IOException {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int size = 512;
        Path dir = Files.createTempDirectory("osteo-dicom-bench");
        try {
            long t0 = System.nanoTime();
            write(dir, size, slices, 20251203L);
            System.out.printf(Locale.ROOT, "wrote %d slices of %dx%d in %.1f s to %s%n", slices, size, size,
                    (System.nanoTime() - t0) / 1e9, dir);
            int cores = Runtime.getRuntime().availableProcessors();
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                DicomSeriesReader reader = DicomSeriesReader.builder().threads(threads).build();
                for (int i = 0; i < 2; i++) {
                    check(reader.read(dir), size, slices);
                }
                double[] ms = new double[runs];
                long cpu0 = processCpuNanos();
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    Volume v = reader.read(dir);
                    ms[i] = (System.nanoTime() - s) / 1e6;
                    check(v, size, slices);
                }
                double cpuMs = (processCpuNanos() - cpu0) / 1e6 / runs;
                Arrays.sort(ms);
                double median = ms[runs / 2];
                double mib = (double) size * size * slices * 2 / (1 << 20);
                System.out.printf(Locale.ROOT,
                        "threads %d: median %.0f ms (min %.0f, max %.0f) over %d runs, %.0f MiB/s of pixel data;"
                                + " process CPU %.0f ms per read; load average %.2f on %d cores%n",
                        threads, median, ms[0], ms[runs - 1], runs, mib / (median / 1000), cpuMs,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), cores);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** CPU time of the whole JVM (all threads, JIT and GC included), -1 when the JVM does not report it. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void check(Volume v, int size, int slices) {
        if (v.geometry().nx() != size || v.geometry().nz() != slices) {
            throw new IllegalStateException("read " + v.geometry());
        }
    }

    /** A minimal explicit VR little endian CT writer (what a scanner writes, without the extras). */
    private static void write(Path dir, int size, int slices, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] pixels = new byte[size * size * 2];
        for (int k = 0; k < slices; k++) {
            for (int i = 0; i < size * size; i++) {
                int v = -1024 + rnd.nextInt(2600);
                pixels[2 * i] = (byte) v;
                pixels[2 * i + 1] = (byte) (v >> 8);
            }
            ByteArrayOutputStream ds = new ByteArrayOutputStream(pixels.length + 2048);
            str(ds, 0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2");
            str(ds, 0x0008, 0x0018, "UI", "1.2.826.0.1.3680043.8.498.7." + k);
            str(ds, 0x0008, 0x0060, "CS", "CT");
            str(ds, 0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.8.498.7");
            str(ds, 0x0020, 0x0013, "IS", Integer.toString(k + 1));
            str(ds, 0x0020, 0x0032, "DS", "-200\\-180\\" + (k * 0.625 - 100));
            str(ds, 0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0");
            us(ds, 0x0028, 0x0002, 1);
            str(ds, 0x0028, 0x0004, "CS", "MONOCHROME2");
            us(ds, 0x0028, 0x0010, size);
            us(ds, 0x0028, 0x0011, size);
            str(ds, 0x0028, 0x0030, "DS", "0.78125\\0.78125");
            us(ds, 0x0028, 0x0100, 16);
            us(ds, 0x0028, 0x0101, 16);
            us(ds, 0x0028, 0x0102, 15);
            us(ds, 0x0028, 0x0103, 1);
            str(ds, 0x0028, 0x1052, "DS", "0");
            str(ds, 0x0028, 0x1053, "DS", "1");
            tag(ds, 0x7FE0, 0x0010);
            ds.writeBytes("OW".getBytes(StandardCharsets.US_ASCII));
            ds.write(0);
            ds.write(0);
            int32(ds, pixels.length);
            ds.writeBytes(pixels);
            ByteArrayOutputStream meta = new ByteArrayOutputStream();
            str(meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
            ByteArrayOutputStream file = new ByteArrayOutputStream(ds.size() + 256);
            file.writeBytes(new byte[128]);
            file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
            tag(file, 0x0002, 0x0000);
            file.writeBytes("UL".getBytes(StandardCharsets.US_ASCII));
            file.write(4);
            file.write(0);
            int32(file, meta.size());
            meta.writeTo(file);
            ds.writeTo(file);
            Files.write(dir.resolve(String.format(Locale.ROOT, "CT%05d.dcm", k)), file.toByteArray());
        }
    }

    private static void str(ByteArrayOutputStream out, int group, int element, String vr, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        if (b.length % 2 == 1) {
            b = Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
        }
        tag(out, group, element);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        out.write(b.length);
        out.write(b.length >> 8);
        out.writeBytes(b);
    }

    private static void us(ByteArrayOutputStream out, int group, int element, int v) {
        tag(out, group, element);
        out.writeBytes("US".getBytes(StandardCharsets.US_ASCII));
        out.write(2);
        out.write(0);
        out.write(v);
        out.write(v >> 8);
    }

    private static void tag(ByteArrayOutputStream out, int group, int element) {
        out.write(group);
        out.write(group >> 8);
        out.write(element);
        out.write(element >> 8);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
    }
}
