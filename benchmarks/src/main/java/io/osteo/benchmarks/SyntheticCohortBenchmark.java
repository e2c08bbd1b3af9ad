package io.osteo.benchmarks;

import io.osteo.train.cohort.CohortPreset;
import io.osteo.train.cohort.RenderedVertebra;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.cohort.VertebraPlan;
import io.osteo.train.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of the synthetic cohort generator: the whole {@code small} preset written to disk
 * (volumes, masks, manifest; single shot), and rendering one 32^3 vertebra patch.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SyntheticCohortBenchmark.writeSmallPreset -p threads=2
 * java -jar benchmarks/target/benchmarks.jar SyntheticCohortBenchmark.renderOnePatch
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
public class SyntheticCohortBenchmark {

    @Param({"2"})
    public int threads;

    private Path folder;
    private SyntheticCohortGenerator generator;
    private List<VertebraPlan> plan;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        generator = SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(42).threads(threads).build();
        plan = generator.plan();
    }

    @Setup(Level.Iteration)
    public void freshFolder() throws IOException {
        folder = Files.createTempDirectory("osteo-cohort-bench");
    }

    @TearDown(Level.Iteration)
    public void deleteFolder() throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Generates and writes the small preset (a fresh generator, so the plan is included). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Manifest writeSmallPreset() {
        return SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(42).threads(threads).build()
                .write(folder);
    }

    /** Renders one vertebra patch (32^3 at 0.8 mm) in memory, single thread. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RenderedVertebra renderOnePatch() {
        VertebraPlan v = plan.get(next);
        next = (next + 1) % plan.size();
        return generator.render(v);
    }
}
