package io.osteo.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNet;
import io.osteo.model.swav.SwavConfig;
import io.osteo.model.swav.SwavHead;

/**
 * TP-SwAV pretraining network: ResNet backbone + {@link SwavHead}.
 *
 * <p>Forward: {@code NDList(view [B, C, spatial...])} -> {@code NDList(z [B, d], scores [B, K],
 * features [B, F])}; feed every view's output (first two entries) to {@link
 * io.osteo.model.swav.SwavLoss#compute}. After each optimiser step call {@link
 * SwavHead#normalizePrototypes()} on {@link #head()}. Afterwards transfer {@link #backbone()} into
 * an {@link OsteoNet} with {@link ResNet#copyParametersFrom}. Single-threaded training.
 */
public final class SwavNet extends AbstractBlock {

    public static final int EMBEDDING = SwavHead.EMBEDDING;
    public static final int SCORES = SwavHead.SCORES;
    public static final int FEATURES = 2;

    private final ResNet backbone;
    private final SwavHead head;

    public SwavNet(BackboneConfig backboneConfig, SwavConfig swavConfig) {
        backbone = addChildBlock("backbone", new ResNet(backboneConfig));
        head = addChildBlock("swav", new SwavHead(swavConfig));
    }

    public ResNet backbone() {
        return backbone;
    }

    public SwavHead head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = backbone.forward(ps, inputs, training, params).singletonOrThrow();
        NDList out = head.forward(ps, new NDList(features), training, params);
        out.add(features);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape features = backbone.getOutputShapes(inputShapes)[0];
        Shape[] h = head.getOutputShapes(new Shape[] {features});
        return new Shape[] {h[0], h[1], features};
    }
}
