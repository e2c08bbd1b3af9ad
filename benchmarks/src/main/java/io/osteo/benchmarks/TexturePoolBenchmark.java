package io.osteo.benchmarks;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.voxel.VoxelGlcmMaps;
import io.osteo.radiomics.voxel.VoxelMaps;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Texture-pool hot path: voxel-based maps of the paper's four GLCM features (Autocorrelation,
 * JointAverage, Contrast, DifferenceAverage), kernel radius 2, bin width 25, on a 64^3 volume of
 * seeded random CT values in the int16 HU range [-1024, 3071] with a full mask.
 *
 * <ul>
 *   <li>{@code fastPath} (threads 1 and 2): {@link VoxelGlcmMaps.Method#AUTO}, the exact box-sum
 *       algorithm; reported as sample-time percentiles (median = p0.50).</li>
 *   <li>{@code bruteForceBaseline}: {@link VoxelGlcmMaps.Method#DIRECT}, which builds the GLCM of
 *       every kernel directly (O(N (2R+1)^3 x 13)), the textbook method and the baseline for the
 *       speed-up; one thread, single-shot.</li>
 * </ul>
 *
 * Run: {@code java -jar benchmarks/target/benchmarks.jar TexturePoolBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TexturePoolBenchmark {

    static final int SIZE = 64;

    private Volume image;
    private boolean[] mask;
    private VoxelGlcmMaps direct;

    /** The fast path at a given thread count. */
    @State(Scope.Benchmark)
    public static class FastPath {
        @Param({"1", "2"})
        public int threads;

        VoxelGlcmMaps maps;

        @Setup(Level.Trial)
        public void setUp() {
            maps = VoxelGlcmMaps.builder().settings(GlcmSettings.builder().binWidth(25).build())
                    .features(GlcmFeature.paperFeatures()).kernelRadius(2).threads(threads).build();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(20250611L);
        float[] v = new float[SIZE * SIZE * SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(-1024, 3072);
        }
        image = Volume.wrap(ImageGeometry.of(SIZE, SIZE, SIZE, 0.7, 0.7, 1.0), v);
        mask = new boolean[v.length];
        Arrays.fill(mask, true);
        GlcmSettings glcm = GlcmSettings.builder().binWidth(25).build();
        direct = VoxelGlcmMaps.builder().settings(glcm).features(GlcmFeature.paperFeatures()).kernelRadius(2)
                .threads(1).method(VoxelGlcmMaps.Method.DIRECT).build();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public VoxelMaps fastPath(FastPath state) {
        return state.maps.compute(image, mask);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public VoxelMaps bruteForceBaseline() {
        return direct.compute(image, mask);
    }
}
