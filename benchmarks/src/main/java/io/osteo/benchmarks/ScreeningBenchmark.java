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
 * 3 mm; T12, L1, L2 screened, T11 skipped) with the HU-threshold baseline: ROI extraction, erosion,
 * statistics and report assembly. Run from the repository root:
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

    @Setup
    public void setUp() {
        Path dir = Path.of(sharedDir, "data", "totalsegmentator");
        study = Study.of("example", VolumeIo.readVolume(dir.resolve("example_ct_sm.nii.gz")),
                VolumeIo.readLabels(dir.resolve("example_seg.nii.gz")), LabelScheme.totalSegmentatorV2());
        huScreener = OsteoScreener.builder().huThreshold(160).build();
    }

    @TearDown
    public void tearDown() {
        huScreener.close();
    }

    @Benchmark
    public ScreeningReport huThresholdRealCt() {
        return huScreener.screen(study);
    }
}
