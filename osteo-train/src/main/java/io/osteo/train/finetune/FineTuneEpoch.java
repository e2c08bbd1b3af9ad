package io.osteo.train.finetune;

/**
 * Statistics of one fine-tuning epoch.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean weighted multi-task loss over the epoch's steps (augmented batches)
 * @param validationLoss weighted multi-task loss on the validation set (no augmentation)
 * @param validationAuc vertebra-level ROC AUC on the validation set
 * @param threshold decision threshold chosen on this epoch's validation probabilities
 * @param validationF1 vertebra-level validation F1 at {@code threshold}
 * @param learningRate learning rate of the epoch's last step
 * @param improved whether this epoch became the selected model
 */
public record FineTuneEpoch(int epoch, double trainLoss, double validationLoss, double validationAuc, double threshold,
        double validationF1, double learningRate, boolean improved) {}
