package io.osteo.train.finetune;

import io.osteo.model.moe.DecoderConfig;

/**
 * Which multi-task decoder a fine-tuning run uses; each ablation row changes one thing.
 */
public enum DecoderChoice {
    /** The paper: N experts gated by softmax(f_g(P + D)), P the image embedding, D the DXA device's embedding. */
    MOE("MoE"),
    /** One plain head on the image embedding; device-blind. */
    PLAIN("plain"),
    /** One plain head on P + D: device-aware without the mixture (the control of the MoE claim). */
    PLAIN_WITH_DEVICE("plain + device embedding");

    private final String label;

    DecoderChoice(String label) {
        this.label = label;
    }

    /** Name in tables and provenance. */
    public String label() {
        return label;
    }

    /** The decoder config with this choice, keeping the sizes of {@code base}. */
    public DecoderConfig configure(DecoderConfig base) {
        DecoderConfig.Builder d = DecoderConfig.builder().gateHidden(base.gateHidden()).expertHidden(base.expertHidden());
        return switch (this) {
            case MOE -> base.kind() == DecoderConfig.Kind.MOE ? base : d.build();
            case PLAIN -> d.kind(DecoderConfig.Kind.PLAIN).experts(1).deviceEmbedding(false).build();
            case PLAIN_WITH_DEVICE -> d.kind(DecoderConfig.Kind.PLAIN).experts(1).deviceEmbedding(true).build();
        };
    }
}
