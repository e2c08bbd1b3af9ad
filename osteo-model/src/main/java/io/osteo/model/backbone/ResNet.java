package io.osteo.model.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ResNet backbone (2D or 3D) from {@link BackboneConfig}: stride-2 stem conv-BN-ReLU (+ optional
 * max pooling), four stages of basic blocks (widths 1x, 2x, 4x, 8x the base width, stages 2-4
 * downsample by 2), global average pooling.
 *
 * <p>Forward: {@code NDList(image [B, C, H, W] or [B, C, D, H, W])} -> {@code NDList(embedding
 * [B, 8 * baseWidth])}. Parameters: He-normal convolutions, BN gamma 1 and beta 0.
 *
 * <p>Thread safety: like every DJL block, safe for concurrent inference through separate
 * predictors once initialised; training and parameter copying must be confined to one thread.
 */
public final class ResNet extends AbstractBlock {

    private final BackboneConfig config;
    private final Block stemConv;
    private final Block stemBn;
    private final List<Block> stages = new ArrayList<>();

    public ResNet(BackboneConfig config) {
        this.config = config;
        int dims = config.spatialDims();
        stemConv = addChildBlock(
                "stemConv", Layers.conv(dims, config.baseWidth(), config.stemKernel(), 2, config.stemKernel() / 2));
        stemBn = addChildBlock("stemBn", Layers.batchNorm());
        int channels = config.baseWidth();
        List<Integer> blocks = config.depth().blocksPerStage();
        for (int s = 0; s < blocks.size(); s++) {
            int filters = config.baseWidth() << s;
            for (int b = 0; b < blocks.get(s); b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                stages.add(addChildBlock(
                        "stage" + (s + 1) + "Block" + (b + 1), new BasicBlock(dims, channels, filters, stride)));
                channels = filters;
            }
        }
    }

    /** The configuration this network was built from. */
    public BackboneConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        x = stemConv.forward(ps, new NDList(x), training, params).singletonOrThrow();
        x = Activation.relu(stemBn.forward(ps, new NDList(x), training, params).singletonOrThrow());
        if (config.stemMaxPool()) {
            Shape window = Layers.cube(config.spatialDims(), 3);
            Shape stride = Layers.cube(config.spatialDims(), 2);
            Shape pad = Layers.cube(config.spatialDims(), 1);
            x = config.spatialDims() == 3
                    ? Pool.maxPool3d(x, window, stride, pad, false)
                    : Pool.maxPool2d(x, window, stride, pad, false);
        }
        for (Block block : stages) {
            x = block.forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        NDArray pooled = config.spatialDims() == 3 ? Pool.globalAvgPool3d(x) : Pool.globalAvgPool2d(x);
        return new NDList(pooled.reshape(pooled.getShape().get(0), -1));
    }

    private void checkInput(Shape shape) {
        int expectedRank = config.spatialDims() + 2;
        if (shape.dimension() != expectedRank || shape.get(1) != config.inChannels()) {
            throw new InvalidInputException("backbone input has shape " + shape + ", expected [B, "
                    + config.inChannels() + (config.spatialDims() == 3 ? ", D, H, W]" : ", H, W]"));
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        Shape shape = inputShapes[0];
        stemConv.initialize(manager, dataType, shape);
        shape = stemConv.getOutputShapes(new Shape[] {shape})[0];
        stemBn.initialize(manager, dataType, shape);
        if (config.stemMaxPool()) {
            shape = Layers.windowOutput(shape, shape.get(1), 3, 2, 1);
        }
        for (Block block : stages) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.featureDim())};
    }

    /**
     * Copies every parameter of {@code source} (same architecture, e.g. the backbone of a
     * pretraining network) into this backbone, matched by hierarchical name. Used to transfer
     * TP-SwAV weights into a fine-tuning network. Both must be initialised.
     *
     * @throws InvalidInputException if a name is missing or a shape differs
     */
    public void copyParametersFrom(ResNet source) {
        Map<String, Parameter> mine = new HashMap<>();
        for (Pair<String, Parameter> p : getParameters()) {
            mine.put(p.getKey(), p.getValue());
        }
        PairList<String, Parameter> theirs = source.getParameters();
        if (theirs.size() != mine.size()) {
            throw new InvalidInputException("cannot copy backbone parameters: source has " + theirs.size()
                    + " parameters, target " + mine.size() + " (architectures differ: " + source.config + " vs "
                    + config + ")");
        }
        for (Pair<String, Parameter> p : theirs) {
            Parameter target = mine.get(p.getKey());
            if (target == null) {
                throw new InvalidInputException("cannot copy backbone parameter '" + p.getKey() + "': target has none");
            }
            NDArray from = p.getValue().getArray();
            NDArray to = target.getArray();
            if (!from.getShape().equals(to.getShape())) {
                throw new InvalidInputException("cannot copy backbone parameter '" + p.getKey() + "': shape "
                        + from.getShape() + " vs " + to.getShape());
            }
            to.set(from.toByteBuffer());
        }
    }
}
