package io.osteo.model.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;

/**
 * Learned embedding D of the DXA device that labels an image ({@link DxaDevice#embeddingIndex()},
 * {@link DxaDevice#EMBEDDING_COUNT} rows including UNKNOWN), same length as the image embedding.
 *
 * <p>Forward: {@code NDList(deviceIds [B] integer)} -> {@code NDList(D [B, F])}. Ids outside
 * 0..EMBEDDING_COUNT-1 raise {@link InvalidInputException}.
 *
 * <p>Thread safety: like any DJL block, concurrent inference through separate predictors is
 * safe once initialised; training and parameter changes must stay on one thread.
 */
public final class DeviceEmbedding extends AbstractBlock {

    private final int featureDim;
    private final Parameter table;

    public DeviceEmbedding(int featureDim) {
        this.featureDim = featureDim;
        table = addParameter(Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(DxaDevice.EMBEDDING_COUNT, featureDim))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        if (ids.getShape().dimension() != 1 || ids.getDataType().isFloating()) {
            throw new InvalidInputException(
                    "device ids must be an integer vector [B], got " + ids.getDataType() + " " + ids.getShape());
        }
        NDArray asLong = ids.toType(DataType.INT64, false);
        for (long id : asLong.toLongArray()) {
            if (id < 0 || id >= DxaDevice.EMBEDDING_COUNT) {
                throw new InvalidInputException("device id " + id + " is outside 0.." + (DxaDevice.EMBEDDING_COUNT - 1)
                        + " (DxaDevice.embeddingIndex())");
            }
        }
        NDArray weights = ps.getValue(table, ids.getDevice(), training);
        NDArray oneHot = oneHot(asLong, DxaDevice.EMBEDDING_COUNT).toType(weights.getDataType(), false);
        return new NDList(oneHot.matMul(weights));
    }

    /** One-hot rows [B, depth] (boolean) of integer ids [B]; PyTorch's one_hot is not exposed by DJL. */
    public static NDArray oneHot(NDArray ids, int depth) {
        NDArray classes = ids.getManager().arange(0, depth, 1, DataType.INT64, ids.getDevice());
        return ids.toType(DataType.INT64, false).expandDims(1).eq(classes.expandDims(0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), featureDim)};
    }
}
