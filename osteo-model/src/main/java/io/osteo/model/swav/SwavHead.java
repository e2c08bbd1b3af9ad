package io.osteo.model.swav;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * SwAV head: projection MLP (Linear-BN-ReLU-Linear) to a d-dimensional L2-normalised embedding z
 * and the scores z.C^T against K prototypes C (rows L2-normalised, so scores are cosine
 * similarities in [-1, 1]; the loss divides them by the temperature).
 *
 * <p>Forward: {@code NDList(features [B, F])} -> {@code NDList(z [B, d], scores [B, K])}.
 *
 * <p>The trainer must call {@link #normalizePrototypes()} after every optimiser step, outside the
 * gradient collector. Thread safety: not for concurrent training; inference like any DJL block.
 */
public final class SwavHead extends AbstractBlock {

    /** Index of the normalised embedding in the forward output. */
    public static final int EMBEDDING = 0;

    /** Index of the prototype scores in the forward output. */
    public static final int SCORES = 1;

    private final SwavConfig config;
    private final Block projection;
    private final Parameter prototypes;

    public SwavHead(SwavConfig config) {
        this.config = config;
        projection = addChildBlock("projection", new SequentialBlock()
                .add(Linear.builder().setUnits(config.projectionHidden()).build())
                .add(BatchNorm.builder().optMomentum(0.9f).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(config.embeddingDim()).build()));
        prototypes = addParameter(Parameter.builder()
                .setName("prototypes")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.prototypes(), config.embeddingDim()))
                .optInitializer(new NormalInitializer(1f))
                .build());
    }

    public SwavConfig config() {
        return config;
    }

    /** The prototype matrix parameter C, shape [K, d]. */
    public Parameter prototypes() {
        return prototypes;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = projection.forward(ps, inputs, training, params).singletonOrThrow();
        NDArray z = l2Normalize(h);
        NDArray c = ps.getValue(prototypes, h.getDevice(), training);
        // z.C^T via Linear.linear so the result (and nothing else) is attached to z's manager;
        // c.transpose() would leave one array per call in the parameters' manager
        NDArray scores = Linear.linear(z, c).singletonOrThrow();
        return new NDList(z, scores);
    }

    /**
     * Divides each row by its L2 norm, smoothed as sqrt(|x|^2 + 1e-12): unlike a norm clamped at a
     * minimum, its gradient stays finite when a row is exactly zero (all projection units off),
     * where d|x|/dx = x/|x| is 0/0 and would put NaN into every parameter.
     */
    public static NDArray l2Normalize(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /**
     * Renormalises the prototype rows to unit L2 norm in place. Call after every optimiser step
     * (and it is called after initialisation), outside any gradient collector.
     */
    public void normalizePrototypes() {
        NDArray c = prototypes.getArray();
        try (NDManager scratch = c.getManager().newSubManager()) {
            NDArray copy = c.stopGradient();
            copy.attach(scratch); // every intermediate below lives in scratch and is freed with it
            c.set(l2Normalize(copy).toByteBuffer());
        }
    }

    /**
     * Freezes (true) or releases (false) the prototypes; SwAV keeps them fixed for about the
     * first epoch. A frozen parameter gets no gradient and no optimiser update.
     */
    public void setPrototypesFrozen(boolean frozen) {
        prototypes.freeze(frozen);
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        normalizePrototypes();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, config.embeddingDim()), new Shape(b, config.prototypes())};
    }
}
