package io.osteo.model.net;

import ai.djl.ndarray.types.Shape;
import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.moe.DecoderConfig;
import java.util.List;

/**
 * Architecture of the fine-tuning / screening network {@link OsteoNet}: backbone, multi-task
 * decoder and the patch size (voxels, [D, H, W] for 3D or [H, W] for 2D) used to initialise it
 * and to validate inputs. Immutable and JSON-serialisable (part of the model descriptor).
 *
 * <p>Immutable value; thread-safe.
 */
public record OsteoNetConfig(BackboneConfig backbone, DecoderConfig decoder, List<Integer> patchSize) {

    public OsteoNetConfig {
        if (backbone == null || decoder == null || patchSize == null) {
            throw new InvalidInputException("network config needs a backbone, a decoder and a patch size");
        }
        patchSize = List.copyOf(patchSize);
        if (patchSize.size() != backbone.spatialDims()) {
            throw new InvalidInputException("patch size " + patchSize + " does not match a " + backbone.spatialDims()
                    + "D backbone");
        }
        for (int s : patchSize) {
            if (s < 8) {
                throw new InvalidInputException("patch size " + patchSize + " has an edge below 8 voxels");
            }
        }
    }

    /** Paper: ResNet34 3D width 64, MoE with 3 experts, 64^3 patches, one input channel. */
    public static OsteoNetConfig paper() {
        return new OsteoNetConfig(BackboneConfig.paper(), DecoderConfig.paper(), List.of(64, 64, 64));
    }

    /** Two-CPU-core size: ResNet10 3D width 8, small MoE, 32^3 patches, one input channel. */
    public static OsteoNetConfig cpuSmall() {
        return new OsteoNetConfig(BackboneConfig.cpuSmall(), DecoderConfig.cpuSmall(), List.of(32, 32, 32));
    }

    /** Same network with {@code channels} input channels (1 + number of texture maps). */
    public OsteoNetConfig withInChannels(int channels) {
        return new OsteoNetConfig(backbone.withInChannels(channels), decoder, patchSize);
    }

    /** Same network with another decoder (e.g. the plain head for the "no MoE" ablation). */
    public OsteoNetConfig withDecoder(DecoderConfig other) {
        return new OsteoNetConfig(backbone, other, patchSize);
    }

    /** Image batch shape: [B, C, D, H, W] (3D) or [B, C, H, W] (2D). */
    public Shape imageShape(int batch) {
        long[] dims = new long[2 + patchSize.size()];
        dims[0] = batch;
        dims[1] = backbone.inChannels();
        for (int i = 0; i < patchSize.size(); i++) {
            dims[2 + i] = patchSize.get(i);
        }
        return new Shape(dims);
    }
}
