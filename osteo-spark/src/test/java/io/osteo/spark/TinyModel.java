package io.osteo.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Provenance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A tiny <b>untrained</b> model directory (seeded random weights): the real pipeline, meaningless outputs. */
final class TinyModel {
    private TinyModel() {}

    static Path write(Path directory) {
        OsteoNetConfig net = new OsteoNetConfig(BackboneConfig.cpuSmall(), DecoderConfig.cpuSmall(), List.of(16, 32, 32));
        ModelDescriptor d = ModelDescriptor.of("untrained-spark-test", net,
                new InputSpec(1, List.of(3.0, 2.0, 2.0), null, Normalization.huWindow(-200, 1200)),
                new Provenance("2026-01-01T00:00:00Z", "osteo-spark test", 5L, "none: untrained", Map.of()));
        Engine.getInstance().setRandomSeed(5);
        try (OsteoModel m = OsteoModel.create(d, Device.cpu())) {
            m.save(directory);
        }
        return directory;
    }
}
