package io.osteo.model.packaging;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.model.net.OsteoNet;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL translator of a packaged OsteoScreen model: {@link VertebraPatch} -> network ->
 * {@link VertebraPrediction}. Batches with DJL's stacking batchifier, so {@code
 * predictor.batchPredict} runs many vertebrae in one forward pass. Validates the patch size and
 * that every voxel is finite. Stateless and thread-safe (DJL predictors themselves are not).
 */
public final class OsteoTranslator implements Translator<VertebraPatch, VertebraPrediction> {

    private final ModelDescriptor descriptor;
    private final Shape sampleShape;

    public OsteoTranslator(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
        Shape batchShape = descriptor.architecture().imageShape(1);
        this.sampleShape = batchShape.slice(1);
    }

    /** Shape of one patch: [C, D, H, W] or [C, H, W]. */
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, VertebraPatch input) {
        float[] v = input.voxels();
        if (v.length != sampleShape.size()) {
            throw new InvalidInputException("vertebra patch has " + v.length + " voxels, the model expects "
                    + sampleShape + " = " + sampleShape.size());
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidInputException("vertebra patch voxel " + i + " is " + v[i] + " (must be finite)");
            }
        }
        NDArray image = ctx.getNDManager().create(v, sampleShape);
        NDArray device = ctx.getNDManager().create(input.device().embeddingIndex());
        return new NDList(image, device);
    }

    @Override
    public VertebraPrediction processOutput(TranslatorContext ctx, NDList list) {
        float[] classProbs = list.get(OsteoNet.CLASS_LOGITS).softmax(0).toFloatArray();
        float bmd = list.get(OsteoNet.BMD).toType(DataType.FLOAT32, false).toFloatArray()[0];
        float[] positions = list.get(OsteoNet.POSITION_LOGITS).softmax(0).toFloatArray();
        float[] gate = list.get(OsteoNet.GATE_WEIGHTS).toFloatArray();
        List<Double> pos = new ArrayList<>(positions.length);
        int best = 0;
        for (int i = 0; i < positions.length; i++) {
            pos.add((double) positions[i]);
            if (positions[i] > positions[best]) {
                best = i;
            }
        }
        List<Double> g = new ArrayList<>(gate.length);
        for (float w : gate) {
            g.add((double) w);
        }
        double p = classProbs[1];
        return new VertebraPrediction(p, p >= descriptor.operatingThreshold(), descriptor.bmdScaling().toGcm2(bmd),
                pos, VertebraLevel.values()[best], g);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
