package io.osteo.benchmarks;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.voxel.VoxelGlcmMaps;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Companion to {@link TexturePoolBenchmark} that reports CPU time per run as well as wall time: on
 * a shared machine wall time depends on the other processes, CPU time much less. Same workload
 * (paper's four features, R = 2, bin width 25, 64^3 int16-range volume, full mask, fast path).
 * Reported per run: the median wall time, the median CPU time of the calling thread (which does
 * all the work with one thread; with more, only the serial part) and the mean CPU time of the whole
 * JVM process (total over the timed runs / runs, as the OS counts it in coarse ticks; it includes
 * the worker threads, and the JIT's threads, idle after warm-up).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.osteo.benchmarks.TexturePoolCpuTime
 * [runs per thread count, default 40]}.
 */
public final class TexturePoolCpuTime {

    private TexturePoolCpuTime() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int size = TexturePoolBenchmark.SIZE;
        SplittableRandom rnd = new SplittableRandom(20250611L); // same volume as TexturePoolBenchmark
        float[] v = new float[size * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(-1024, 3072);
        }
        Volume image = Volume.wrap(ImageGeometry.of(size, size, size, 0.7, 0.7, 1.0), v);
        boolean[] mask = new boolean[v.length];
        Arrays.fill(mask, true);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean sun)) {
            throw new IllegalStateException("this JVM does not report process CPU time");
        }
        ThreadMXBean thread = ManagementFactory.getThreadMXBean();
        for (int threads : new int[] {1, 2}) {
            VoxelGlcmMaps maps = VoxelGlcmMaps.builder().settings(GlcmSettings.builder().binWidth(25).build())
                    .features(GlcmFeature.paperFeatures()).kernelRadius(2).threads(threads).build();
            for (int i = 0; i < runs; i++) { // warm-up
                maps.compute(image, mask);
            }
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            long p0 = sun.getProcessCpuTime();
            for (int i = 0; i < runs; i++) {
                long c0 = thread.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                maps.compute(image, mask);
                wall[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (thread.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            double process = (sun.getProcessCpuTime() - p0) / 1e6 / runs;
            System.out.printf("threads %d: wall median %.1f ms (min %.1f); CPU per run: calling thread median %.1f ms,"
                    + " process mean %.1f ms; %d runs%n", threads, median(wall), min(wall), median(cpu), process, runs);
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }
}
