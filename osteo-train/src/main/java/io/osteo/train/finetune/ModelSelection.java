package io.osteo.train.finetune;

/**
 * Which validation figure picks the epoch whose parameters become the packaged model. Never F1 at
 * a fixed threshold: on small validation sets it rewards early epochs that call nearly everything
 * positive.
 */
public enum ModelSelection {
    /** Highest vertebra-level validation ROC AUC (the default). */
    AUC,
    /** Lowest validation multi-task loss (the same weighted loss as training). */
    LOSS
}
