package io.osteo.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Provenance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Untrained (seeded) model directories for the benchmarks: the compute cost of an architecture, meaningless outputs. */
final class ScreeningBenchmarkModels {
    private ScreeningBenchmarkModels() {}

    /** The cpuSmall architecture (3D ResNet10 width 8, MoE, 32^3 patches at 0.8 mm), seed 1. */
    static Path untrainedCpuSmall(Path dir) {
        ModelDescriptor d = ModelDescriptor.of("bench-untrained", OsteoNetConfig.cpuSmall(),
                new InputSpec(1, List.of(0.8, 0.8, 0.8), null, Normalization.huWindow(-200, 1200)),
                new Provenance("", "SparkScalingBenchmark", 1L, "untrained", Map.of()));
        Engine.getInstance().setRandomSeed(1);
        try (OsteoModel m = OsteoModel.create(d, Device.cpu())) {
            m.save(dir);
        }
        return dir;
    }
}
