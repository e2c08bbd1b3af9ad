package io.osteo.model.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Single-head multi-task decoder for the "no MoE" ablation: one MLP (Linear-ReLU-Linear) on P (or
 * P + D when the device embedding is on) with the same outputs as {@link MoeDecoder}; the gate
 * output is a constant [B, 1] of ones so callers need no special case.
 *
 * <p>Thread safety: like any DJL block, concurrent inference through separate predictors is
 * safe once initialised; training and parameter changes must stay on one thread.
 */
public final class PlainDecoder extends AbstractBlock {

    private final DecoderConfig config;
    private final DeviceEmbedding device;
    private final Block head;

    PlainDecoder(DecoderConfig config, int featureDim) {
        this.config = config;
        device = config.deviceEmbedding() ? addChildBlock("device", new DeviceEmbedding(featureDim)) : null;
        head = addChildBlock("head", MoeDecoder.mlp(config.expertHidden(), TaskOutputs.TOTAL));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        if (device != null) {
            x = x.add(device.forward(ps, new NDList(inputs.get(1)), training, params).singletonOrThrow());
        }
        NDList result = TaskOutputs.split(head.forward(ps, new NDList(x), training, params).singletonOrThrow());
        result.add(x.getManager().ones(new Shape(x.getShape().get(0), 1), x.getDataType(), x.getDevice()));
        return result;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (device != null) {
            device.initialize(manager, dataType, inputShapes[1]);
        }
        head.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return TaskOutputs.shapes(inputShapes[0].get(0), config.gateWidth());
    }
}
