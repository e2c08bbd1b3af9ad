package io.osteo.train.pretrain;

/**
 * Unlabelled vertebrae for pretraining, by index. Implementations must return the same patch for
 * the same index every time (the trainer's sampling is seeded; resume relies on it) and be cheap
 * to call repeatedly (cache texture pools).
 */
public interface PretrainingData {

    int size();

    PoolPatch get(int index);
}
