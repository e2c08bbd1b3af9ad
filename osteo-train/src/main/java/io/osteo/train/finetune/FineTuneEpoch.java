package io.osteo.train.finetune;

/**
 * Statistics of one fine-tuning epoch.
 *
 * @param epoch 1-based epoch
 * @param trainLoss mean weighted multi-task loss over the epoch's steps
 * @param validationF1 vertebra-level F1 on the validation set at the decision threshold (0 when
 *     nothing is predicted positive and there are positives)
 * @param validationAuc vertebra-level ROC AUC on the validation set
 * @param learningRate learning rate of the epoch's last step
 * @param improved whether this epoch became the selected model
 */
public record FineTuneEpoch(int epoch, double trainLoss, double validationF1, double validationAuc, double learningRate,
        boolean improved) {}
