package io.osteo.train.finetune;

import io.osteo.model.loss.TaskWeights;

/** The paper's loss ablation: which task heads are trained (weights as in the paper). */
public enum LossChoice {
    /** Classification only. */
    CLASS(TaskWeights.classOnly(), "class"),
    /** Classification + BMD regression (1.0, 1.0). */
    CLASS_BMD(TaskWeights.classAndBmd(), "class+BMD"),
    /** Classification + vertebra position (1.0, 0.5). */
    CLASS_POSITION(TaskWeights.classAndPosition(), "class+position"),
    /** The unified loss 1.0 class + 1.0 BMD + 0.5 position. */
    UNIFIED(TaskWeights.unified(), "unified");

    private final TaskWeights weights;
    private final String label;

    LossChoice(TaskWeights weights, String label) {
        this.weights = weights;
        this.label = label;
    }

    public TaskWeights weights() {
        return weights;
    }

    /** Short name used in method names ("unified"). */
    public String label() {
        return label;
    }
}
