package io.osteo.model.screener;

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

/**
 * A tiny, <b>untrained</b> (randomly initialised, seeded) packaged model: its outputs are
 * meaningless, but every step of the screening pipeline (ROI, resampling, normalisation, the
 * network, the translator, report assembly) is the real one. 3D ResNet10 width 8 on 16x32x32 patches
 * at 3 x 2 x 2 mm (z, y, x), MoE decoder with device embedding, image-only input.
 */
final class TinyUntrainedModel {
    private TinyUntrainedModel() {}

    static ModelDescriptor descriptor() {
        OsteoNetConfig net = new OsteoNetConfig(BackboneConfig.cpuSmall(), DecoderConfig.cpuSmall(), List.of(16, 32, 32));
        InputSpec input = new InputSpec(1, List.of(3.0, 2.0, 2.0), null, Normalization.huWindow(-200, 1200));
        return ModelDescriptor.of("tiny-untrained-test-model", net, input,
                new Provenance("2026-01-01T00:00:00Z", "TinyUntrainedModel (test)", 7L, "none: untrained",
                        Map.of("note", "random weights, outputs are meaningless")));
    }

    /** The same network reading the CT plus the paper's four texture maps (5 channels). */
    static ModelDescriptor texturePoolDescriptor() {
        ModelDescriptor d = descriptor();
        io.osteo.radiomics.pool.TexturePoolSettings pool = io.osteo.radiomics.pool.TexturePool.builder().build()
                .settings();
        InputSpec input = new InputSpec(pool.channelCount(), d.input().spacingMm(),
                com.google.gson.JsonParser.parseString(pool.toJson()).getAsJsonObject(), d.input().normalization());
        return ModelDescriptor.of("tiny-untrained-texture-model", d.architecture().withInChannels(pool.channelCount()),
                input, d.provenance());
    }

    /** Writes the model directory and returns it. */
    static Path write(Path directory) {
        return write(directory, descriptor());
    }

    static Path write(Path directory, ModelDescriptor descriptor) {
        Engine.getInstance().setRandomSeed(7);
        try (OsteoModel m = OsteoModel.create(descriptor, Device.cpu())) {
            m.save(directory);
        }
        return directory;
    }
}
