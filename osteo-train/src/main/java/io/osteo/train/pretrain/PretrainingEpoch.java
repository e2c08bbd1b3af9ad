package io.osteo.train.pretrain;

/**
 * Statistics of one pretraining epoch.
 *
 * @param epoch 1-based epoch
 * @param meanLoss mean swapped-prediction loss over the epoch's steps (nats)
 * @param lnK ln K, the loss of uniform predictions: a loss stuck at ln K means nothing is learnt
 * @param assignmentEntropy entropy (nats) of the histogram of the prototypes the samples are
 *     assigned to (argmax of the scores) over the epoch; ln K when usage is uniform, near 0 when
 *     all samples go to one prototype (collapse)
 * @param prototypesUsed number of distinct prototypes any sample was assigned to
 * @param learningRate learning rate of the epoch's last step
 * @param collapsed true when the assignment entropy is below 10 % of ln K or the loss is within
 *     1 % of ln K
 * @param seconds wall time of the epoch
 */
public record PretrainingEpoch(int epoch, double meanLoss, double lnK, double assignmentEntropy, int prototypesUsed,
        double learningRate, boolean collapsed, double seconds) {}
