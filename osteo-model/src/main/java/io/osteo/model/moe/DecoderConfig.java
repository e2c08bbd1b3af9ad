package io.osteo.model.moe;

import ai.djl.nn.Block;
import io.osteo.api.InvalidInputException;

/**
 * Multi-task decoder settings. Immutable, JSON-serialisable.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param kind {@link Kind#MOE} (the paper's device-aware mixture of experts) or {@link Kind#PLAIN}
 *     (one head, for the "no MoE" ablation)
 * @param experts N, number of experts (MoE only; 3 in the paper)
 * @param gateHidden hidden units of the gate MLP f_g
 * @param expertHidden hidden units of each expert MLP (and of the plain head)
 * @param deviceEmbedding whether the DXA-device embedding D is added to the image embedding (the
 *     MoE always uses it; the plain head may switch it off for ablations)
 */
public record DecoderConfig(Kind kind, int experts, int gateHidden, int expertHidden, boolean deviceEmbedding) {

    /** Decoder type. */
    public enum Kind {
        MOE,
        PLAIN
    }

    public DecoderConfig {
        if (kind == null) {
            throw new InvalidInputException("decoder kind is missing (MOE or PLAIN)");
        }
        if (experts < 1) {
            throw new InvalidInputException("decoder experts must be >= 1, got " + experts);
        }
        if (gateHidden < 1 || expertHidden < 1) {
            throw new InvalidInputException(
                    "decoder hidden sizes must be >= 1, got gate " + gateHidden + ", expert " + expertHidden);
        }
        if (kind == Kind.MOE && !deviceEmbedding) {
            throw new InvalidInputException("the MoE decoder gates on image + device embedding: deviceEmbedding must be true");
        }
    }

    /** Number of gate weights in the output: N for the MoE, 1 for the plain head. */
    public int gateWidth() {
        return kind == Kind.MOE ? experts : 1;
    }

    /** Creates the decoder block for image embeddings of length {@code featureDim}. */
    public Block newBlock(int featureDim) {
        return kind == Kind.MOE ? new MoeDecoder(this, featureDim) : new PlainDecoder(this, featureDim);
    }

    /** The paper's decoder: MoE, 3 experts, gate hidden 64, expert hidden 256. */
    public static DecoderConfig paper() {
        return builder().build();
    }

    /** CPU-sized MoE: 3 experts, gate hidden 16, expert hidden 32. */
    public static DecoderConfig cpuSmall() {
        return builder().gateHidden(16).expertHidden(32).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the paper's defaults (MoE, 3 experts, hidden 64/256, device embedding on). */
    public static final class Builder {
        private Kind kind = Kind.MOE;
        private int experts = 3;
        private int gateHidden = 64;
        private int expertHidden = 256;
        private boolean deviceEmbedding = true;

        private Builder() {}

        public Builder kind(Kind value) {
            kind = value;
            return this;
        }

        public Builder experts(int value) {
            experts = value;
            return this;
        }

        public Builder gateHidden(int value) {
            gateHidden = value;
            return this;
        }

        public Builder expertHidden(int value) {
            expertHidden = value;
            return this;
        }

        public Builder deviceEmbedding(boolean value) {
            deviceEmbedding = value;
            return this;
        }

        public DecoderConfig build() {
            return new DecoderConfig(kind, experts, gateHidden, expertHidden, deviceEmbedding);
        }
    }
}
