package io.osteo.benchmarks;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Warm latency of screening the real CT of {@code ../shared/data/totalsegmentator/} (122x101x30,
 * 3 mm; T12, L1, L2 screened, T11 skipped): with the HU-threshold baseline (ROI extraction,
 * erosion, statistics, report), and with an <b>untrained</b> model of the {@code cpuSmall()}
 * architecture (3D ResNet10 width 8, MoE, 32^3 patches at 0.8 mm, image-only input): the compute
 * cost of the CPU model, its outputs are meaningless. Run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar ScreeningBenchmark -p sharedDir=../shared}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScreeningBenchmark {

    @org.openjdk.jmh.annotations.Param("../shared")
    public String sharedDir;

    private Study study;
    private OsteoScreener huScreener;
    private OsteoScreener modelScreener;
    private Path modelDir;

    @Setup
    public void setUp() {
        Path dir = Path.of(sharedDir, "data", "totalsegmentator");
        study = Study.of("example", VolumeIo.readVolume(dir.resolve("example_ct_sm.nii.gz")),
                VolumeIo.readLabels(dir.resolve("example_seg.nii.gz")), LabelScheme.totalSegmentatorV2());
        huScreener = OsteoScreener.builder().huThreshold(160).build();
        try {
            modelDir = java.nio.file.Files.createTempDirectory("osteo-bench-model");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        io.osteo.model.net.OsteoNetConfig net = io.osteo.model.net.OsteoNetConfig.cpuSmall();
        io.osteo.model.packaging.ModelDescriptor d = io.osteo.model.packaging.ModelDescriptor.of("bench-untrained", net,
                new io.osteo.model.packaging.InputSpec(1, java.util.List.of(0.8, 0.8, 0.8), null,
                        io.osteo.model.packaging.Normalization.huWindow(-200, 1200)),
                new io.osteo.model.packaging.Provenance("", "ScreeningBenchmark", 1L, "untrained", java.util.Map.of()));
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        try (io.osteo.model.packaging.OsteoModel m = io.osteo.model.packaging.OsteoModel.create(d, ai.djl.Device.cpu())) {
            m.save(modelDir);
        }
        modelScreener = OsteoScreener.builder().model(modelDir).device("cpu").build();
    }

    @TearDown
    public void tearDown() throws java.io.IOException {
        huScreener.close();
        modelScreener.close();
        try (var files = java.nio.file.Files.walk(modelDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public ScreeningReport modelCpuSmallRealCt() {
        return modelScreener.screen(study);
    }

    @Benchmark
    public ScreeningReport huThresholdRealCt() {
        return huScreener.screen(study);
    }
}
