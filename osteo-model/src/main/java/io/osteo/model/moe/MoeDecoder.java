package io.osteo.model.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Device-aware mixture-of-experts multi-task decoder (paper Eq. 2-3): x = P + D (image embedding
 * plus DXA-device embedding), gate alpha = softmax(f_g(x)) over N experts (f_g: Linear-ReLU-Linear),
 * each expert E_i (Linear-ReLU-Linear) maps x to class logits (2), BMD (1) and position logits
 * (18); the output is sum_i alpha_i E_i(x).
 *
 * <p>Forward: {@code NDList(P [B, F], deviceIds [B] int)} -> {@code NDList(classLogits [B, 2],
 * bmd [B, 1], positionLogits [B, 18], gate [B, N])}.
 *
 * <p>Thread safety: like any DJL block, concurrent inference through separate predictors is
 * safe once initialised; training and parameter changes must stay on one thread.
 */
public final class MoeDecoder extends AbstractBlock {

    private final DecoderConfig config;

    private final DeviceEmbedding device;
    private final Block gate;
    private final List<Block> experts = new ArrayList<>();

    MoeDecoder(DecoderConfig config, int featureDim) {
        this.config = config;

        device = addChildBlock("device", new DeviceEmbedding(featureDim));
        gate = addChildBlock("gate", mlp(config.gateHidden(), config.experts()));
        for (int i = 0; i < config.experts(); i++) {
            experts.add(addChildBlock("expert" + i, mlp(config.expertHidden(), TaskOutputs.TOTAL)));
        }
    }

    static Block mlp(int hidden, int out) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(out).build());
    }

    /** The expert blocks, in gate-weight order (for inspection and gradient checks). */
    public List<Block> experts() {
        return Collections.unmodifiableList(experts);
    }

    /** The gate MLP f_g. */
    public Block gate() {
        return gate;
    }

    /** The DXA-device embedding table. */
    public DeviceEmbedding deviceEmbedding() {
        return device;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray p = inputs.get(0);
        NDArray d = device.forward(ps, new NDList(inputs.get(1)), training, params).singletonOrThrow();
        NDArray x = p.add(d);
        NDArray alpha = gate.forward(ps, new NDList(x), training, params).singletonOrThrow().softmax(1);
        NDList outs = new NDList(experts.size());
        for (Block expert : experts) {
            outs.add(expert.forward(ps, new NDList(x), training, params).singletonOrThrow());
        }
        NDArray stacked = NDArrays.stack(outs, 1); // [B, N, 21]
        NDArray mixed = stacked.mul(alpha.expandDims(2)).sum(new int[] {1}); // [B, 21]
        NDList result = TaskOutputs.split(mixed);
        result.add(alpha);
        return result;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape p = inputShapes[0];
        device.initialize(manager, dataType, inputShapes[1]);
        gate.initialize(manager, dataType, p);
        for (Block expert : experts) {
            expert.initialize(manager, dataType, p);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return TaskOutputs.shapes(inputShapes[0].get(0), config.experts());
    }

}
