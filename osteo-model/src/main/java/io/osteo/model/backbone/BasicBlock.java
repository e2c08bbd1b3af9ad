package io.osteo.model.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet basic block: conv3-BN-ReLU-conv3-BN plus a shortcut (identity, or 1x1 stride-s
 * conv-BN when the stride or the width changes), then ReLU. Works for 2D and 3D.
 */
final class BasicBlock extends AbstractBlock {

    private final int filters;
    private final int stride;
    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block shortcutConv;
    private final Block shortcutBn;

    BasicBlock(int dims, int inChannels, int filters, int stride) {
        this.filters = filters;
        this.stride = stride;
        conv1 = addChildBlock("conv1", Layers.conv(dims, filters, 3, stride, 1));
        bn1 = addChildBlock("bn1", Layers.batchNorm());
        conv2 = addChildBlock("conv2", Layers.conv(dims, filters, 3, 1, 1));
        bn2 = addChildBlock("bn2", Layers.batchNorm());
        if (stride != 1 || inChannels != filters) {
            shortcutConv = addChildBlock("shortcutConv", Layers.conv(dims, filters, 1, stride, 0));
            shortcutBn = addChildBlock("shortcutBn", Layers.batchNorm());
        } else {
            shortcutConv = null;
            shortcutBn = null;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = conv1.forward(ps, new NDList(x), training, params).singletonOrThrow();
        y = Activation.relu(bn1.forward(ps, new NDList(y), training, params).singletonOrThrow());
        y = conv2.forward(ps, new NDList(y), training, params).singletonOrThrow();
        y = bn2.forward(ps, new NDList(y), training, params).singletonOrThrow();
        NDArray shortcut = x;
        if (shortcutConv != null) {
            shortcut = shortcutConv.forward(ps, new NDList(x), training, params).singletonOrThrow();
            shortcut = shortcutBn.forward(ps, new NDList(shortcut), training, params).singletonOrThrow();
        }
        return new NDList(Activation.relu(y.add(shortcut)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        conv1.initialize(manager, dataType, in);
        Shape mid = conv1.getOutputShapes(new Shape[] {in})[0];
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, mid);
        if (shortcutConv != null) {
            shortcutConv.initialize(manager, dataType, in);
            shortcutBn.initialize(manager, dataType, shortcutConv.getOutputShapes(new Shape[] {in})[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {Layers.windowOutput(inputShapes[0], filters, 3, stride, 1)};
    }
}
