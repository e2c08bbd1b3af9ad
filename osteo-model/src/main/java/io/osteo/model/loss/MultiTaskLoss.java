package io.osteo.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.osteo.api.InvalidInputException;
import io.osteo.model.moe.DeviceEmbedding;
import io.osteo.model.net.OsteoNet;

/**
 * The paper's unified fine-tuning loss {@code alpha*CE(class) + beta*MSE(BMD) + gamma*CE(position)}
 * (defaults 1.0, 1.0, 0.5) as a DJL {@link Loss}, usable by a DJL {@code Trainer}.
 *
 * <p>Labels: {@code NDList(classLabel [B] int (0/1, -1 = missing), bmd [B] float (NaN =
 * missing), position [B] int (VertebraLevel.classIndex() 0..17, -1 = missing))}. Predictions:
 * the {@link OsteoNet} output. Each term averages over the samples that have its target (a term
 * with no target in the batch contributes 0). The MSE is the plain mean squared error (not DJL's
 * half-MSE {@code L2Loss}).
 *
 * <p>Thread safety: evaluation is stateless; the accumulator methods inherited from DJL's
 * evaluator are not thread-safe.
 */
public final class MultiTaskLoss extends Loss {

    /** Index of the class label array in the labels list. */
    public static final int CLASS_LABEL = 0;
    /** Index of the BMD target array in the labels list. */
    public static final int BMD_TARGET = 1;
    /** Index of the position label array in the labels list. */
    public static final int POSITION_LABEL = 2;

    private final TaskWeights weights;

    public MultiTaskLoss(TaskWeights weights) {
        super("MultiTaskLoss");
        this.weights = weights;
    }

    public TaskWeights weights() {
        return weights;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return terms(labels, predictions).total();
    }

    /** The weighted total and each unweighted term (switched-off terms are null), for logging. */
    public Terms terms(NDList labels, NDList predictions) {
        if (labels.size() != 3) {
            throw new InvalidInputException(
                    "multi-task labels must be NDList(class, bmd, position), got " + labels.size() + " arrays");
        }
        if (predictions.size() < 3) {
            throw new InvalidInputException("multi-task predictions must be the OsteoNet output, got "
                    + predictions.size() + " arrays");
        }
        NDArray classTerm = null;
        NDArray bmdTerm = null;
        NDArray positionTerm = null;
        NDArray total = null;
        if (weights.classWeight() > 0) {
            classTerm = maskedCrossEntropy(predictions.get(OsteoNet.CLASS_LOGITS), labels.get(CLASS_LABEL));
            total = classTerm.mul((float) weights.classWeight());
        }
        if (weights.bmdWeight() > 0) {
            bmdTerm = maskedMse(predictions.get(OsteoNet.BMD), labels.get(BMD_TARGET));
            NDArray weighted = bmdTerm.mul((float) weights.bmdWeight());
            total = total == null ? weighted : total.add(weighted);
        }
        if (weights.positionWeight() > 0) {
            positionTerm = maskedCrossEntropy(predictions.get(OsteoNet.POSITION_LOGITS), labels.get(POSITION_LABEL));
            NDArray weighted = positionTerm.mul((float) weights.positionWeight());
            total = total == null ? weighted : total.add(weighted);
        }
        return new Terms(total, classTerm, bmdTerm, positionTerm);
    }

    /**
     * Mean cross-entropy over samples whose label is >= 0.
     *
     * @param logits [B, C]
     * @param labels [B] integer class indices, -1 for missing
     */
    public static NDArray maskedCrossEntropy(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray lab = labels.toType(DataType.INT64, false).reshape(-1);
        if (lab.getShape().get(0) != logits.getShape().get(0)) {
            throw new InvalidInputException("labels " + labels.getShape() + " do not match logits " + logits.getShape());
        }
        if (lab.max().getLong() >= classes || lab.min().getLong() < -1) {
            throw new InvalidInputException("class labels must be in -1.." + (classes - 1));
        }
        NDArray present = lab.gte(0);
        NDArray mask = present.toType(logits.getDataType(), false);
        NDArray safe = NDArrays.where(present, lab, lab.zerosLike());
        NDArray oneHot = DeviceEmbedding.oneHot(safe, (int) classes).toType(logits.getDataType(), false);
        NDArray nll = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        return nll.mul(mask).sum().div(mask.sum().maximum(1f));
    }

    /**
     * Mean squared error over samples whose target is not NaN.
     *
     * @param predicted [B, 1] or [B]
     * @param target [B] or [B, 1], NaN for missing
     */
    public static NDArray maskedMse(NDArray predicted, NDArray target) {
        NDArray pred = predicted.reshape(-1);
        NDArray tgt = target.toType(pred.getDataType(), false).reshape(-1);
        if (tgt.getShape().get(0) != pred.getShape().get(0)) {
            throw new InvalidInputException("BMD targets " + target.getShape() + " do not match predictions "
                    + predicted.getShape());
        }
        NDArray present = tgt.isNaN().logicalNot();
        NDArray mask = present.toType(pred.getDataType(), false);
        NDArray safe = NDArrays.where(present, tgt, tgt.zerosLike());
        NDArray diff = pred.sub(safe).mul(mask);
        return diff.square().sum().div(mask.sum().maximum(1f));
    }

    /** A loss value and its terms (unweighted; null when switched off). */
    public record Terms(NDArray total, NDArray classification, NDArray bmd, NDArray position) {}
}
