package io.osteo.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.ResNet;
import io.osteo.model.moe.TaskOutputs;

/**
 * The whole screening network: ResNet backbone -> image embedding P -> multi-task decoder (MoE or
 * plain) conditioned on the DXA device.
 *
 * <p>Forward contract: input {@code NDList(image [B, C, D, H, W] (3D) or [B, C, H, W] (2D) float32,
 * deviceIds [B] int32/int64 = DxaDevice.embeddingIndex())}; output {@code NDList} indexed by the
 * constants of this class: {@link #CLASS_LOGITS} [B, 2], {@link #BMD} [B, 1], {@link
 * #POSITION_LOGITS} [B, 18], {@link #GATE_WEIGHTS} [B, N] (rows sum to 1; [B, 1] ones for the
 * plain decoder), {@link #EMBEDDING} [B, F].
 *
 * <p>Initialise with {@code trainer.initialize(net.inputShapes(batch))} or {@link
 * #initialize(NDManager, DataType, Shape...)} with the same shapes. Thread safety: inference
 * through one DJL {@code Predictor} per thread is safe; training is single-threaded.
 */
public final class OsteoNet extends AbstractBlock {

    public static final int CLASS_LOGITS = 0;
    public static final int BMD = 1;
    public static final int POSITION_LOGITS = 2;
    public static final int GATE_WEIGHTS = 3;
    public static final int EMBEDDING = 4;

    private final OsteoNetConfig config;
    private final ResNet backbone;
    private final Block decoder;

    public OsteoNet(OsteoNetConfig config) {
        this.config = config;
        backbone = addChildBlock("backbone", new ResNet(config.backbone()));
        decoder = addChildBlock("decoder", config.decoder().newBlock(config.backbone().featureDim()));
    }

    public OsteoNetConfig config() {
        return config;
    }

    /** The backbone, e.g. to copy TP-SwAV weights into it ({@link ResNet#copyParametersFrom}). */
    public ResNet backbone() {
        return backbone;
    }

    /** The decoder block ({@link io.osteo.model.moe.MoeDecoder} or {@link io.osteo.model.moe.PlainDecoder}). */
    public Block decoder() {
        return decoder;
    }

    /** Shapes to initialise with: image [B, C, spatial...] and device ids [B]. */
    public Shape[] inputShapes(int batch) {
        return new Shape[] {config.imageShape(batch), new Shape(batch)};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new InvalidInputException(
                    "OsteoNet expects NDList(image, deviceIds), got " + inputs.size() + " arrays");
        }
        NDArray image = inputs.get(0);
        NDArray ids = inputs.get(1);
        if (ids.getShape().dimension() != 1 || ids.getShape().get(0) != image.getShape().get(0)) {
            throw new InvalidInputException("device ids have shape " + ids.getShape() + ", expected ["
                    + image.getShape().get(0) + "] (one per image)");
        }
        NDArray p = backbone.forward(ps, new NDList(image), training, params).singletonOrThrow();
        NDList out = decoder.forward(ps, new NDList(p, ids), training, params);
        out.add(p);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        Shape p = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        decoder.initialize(manager, dataType, p, inputShapes[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(b, TaskOutputs.CLASSES),
            new Shape(b, TaskOutputs.BMD),
            new Shape(b, TaskOutputs.POSITIONS),
            new Shape(b, config.decoder().gateWidth()),
            new Shape(b, config.backbone().featureDim())
        };
    }
}
