package io.osteo.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.osteo.api.InvalidInputException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW with decoupled weight decay applied only to weights (parameters of type WEIGHT: linear
 * and convolution kernels, the device embedding table, SwAV prototypes); biases, batch-norm
 * gamma/beta and running statistics get no decay (the usual ResNet/ViT recipe; DJL's own AdamW decays everything).
 * Internally two DJL {@link AdamW} optimisers with the same schedule and betas, one with the
 * given decay and one with none, routed by parameter id.
 *
 * <p>Not thread-safe (optimiser state), like every DJL optimiser.
 */
public final class DecoupledAdamW extends Optimizer {

    private static final Logger LOG = LoggerFactory.getLogger(DecoupledAdamW.class);

    private final Optimizer decayed;
    private final Optimizer undecayed;
    private final Set<String> decayedIds;
    private final Set<String> undecayedIds;

    private DecoupledAdamW(Builder b, Set<String> decayedIds, Set<String> undecayedIds) {
        super(new Optimizer.OptimizerBuilder<>() {
            @Override
            protected Optimizer.OptimizerBuilder<?> self() {
                return this;
            }
        });
        this.decayed = adamW(b, b.weightDecay);
        this.undecayed = adamW(b, 0f);
        this.decayedIds = decayedIds;
        this.undecayedIds = undecayedIds;
    }

    private static Optimizer adamW(Builder b, float decay) {
        AdamW.Builder builder = Optimizer.adamW()
                .optLearningRateTracker(b.learningRate)
                .optBeta1(b.beta1)
                .optBeta2(b.beta2)
                .optEpsilon(b.epsilon)
                .optWeightDecays(decay);
        return builder.build();
    }

    /** Whether a parameter is decayed under this recipe. */
    public static boolean decays(Parameter p) {
        return p.getType() == Parameter.Type.WEIGHT;
    }

    /** Number of parameters with and without weight decay, for logging. */
    public String summary() {
        return decayedIds.size() + " parameters with weight decay, " + undecayedIds.size() + " without";
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (undecayedIds.contains(parameterId)) {
            undecayed.update(parameterId, weight, grad);
        } else {
            if (!decayedIds.contains(parameterId)) {
                LOG.warn("parameter {} was not in the block given to DecoupledAdamW; decaying it", parameterId);
                decayedIds.add(parameterId);
            }
            decayed.update(parameterId, weight, grad);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the paper's settings: betas 0.9/0.999, epsilon 1e-8, weight decay 0.1, lr 1e-4. */
    public static final class Builder {
        private ParameterTracker learningRate = Tracker.fixed(1e-4f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private float weightDecay = 0.1f;

        private Builder() {}

        public Builder learningRate(ParameterTracker value) {
            learningRate = value;
            return this;
        }

        public Builder betas(float b1, float b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        public Builder epsilon(float value) {
            epsilon = value;
            return this;
        }

        /** Decoupled weight decay of the weight matrices and kernels (the paper: 0.1). */
        public Builder weightDecay(float value) {
            if (!(value >= 0)) {
                throw new InvalidInputException("weight decay must be >= 0, got " + value);
            }
            weightDecay = value;
            return this;
        }

        /**
         * Builds the optimiser for the parameters of {@code block} (constructed; it need not be
         * initialised yet, so this fits into a DJL TrainingConfig before trainer.initialize).
         */
        public DecoupledAdamW build(Block block) {
            Set<String> decayed = new HashSet<>();
            Set<String> undecayed = new HashSet<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                (decays(p.getValue()) ? decayed : undecayed).add(p.getValue().getId());
            }
            return new DecoupledAdamW(this, decayed, undecayed);
        }
    }
}
