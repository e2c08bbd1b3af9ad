package io.osteo.train.engine;

import io.osteo.api.InvalidInputException;
import io.osteo.model.optim.WarmupCosineTracker;
import java.util.Locale;

/**
 * The optimisation schedule of one training run: epochs, batch size, AdamW learning rate with a
 * linear warm-up followed by a cosine decay to an explicit final value, and decoupled weight
 * decay. Learning rates are per optimiser step (one step per batch); warm-up and decay lengths are
 * given in epochs and converted with the steps per epoch of the data.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param epochs training epochs, at least 1
 * @param batchSize vertebrae per optimiser step, at least 2 (BatchNorm and Sinkhorn need more than one)
 * @param learningRate peak learning rate after warm-up, &gt; 0
 * @param finalLearningRate value the cosine decay ends at, 0 &lt;= final &lt;= peak
 * @param warmupEpochs linear warm-up length, 0 &lt;= warm-up &lt; epochs
 * @param weightDecay decoupled weight decay of weights (biases and BatchNorm are not decayed), &gt;= 0
 */
public record TrainingSchedule(int epochs, int batchSize, float learningRate, float finalLearningRate, int warmupEpochs,
        float weightDecay) {

    public TrainingSchedule {
        if (epochs < 1) throw new InvalidInputException("training epochs must be >= 1, got " + epochs);
        if (batchSize < 2) throw new InvalidInputException("batch size must be >= 2, got " + batchSize);
        if (!(learningRate > 0) || !(finalLearningRate >= 0) || finalLearningRate > learningRate) {
            throw new InvalidInputException("learning rates must satisfy 0 <= final <= peak, peak > 0: " + learningRate
                    + ", " + finalLearningRate);
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new InvalidInputException("warm-up (" + warmupEpochs + " epochs) must be >= 0 and shorter than training ("
                    + epochs + " epochs)");
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new InvalidInputException("weight decay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** The paper's pretraining: batch 32, lr 1e-4 to 0, warm-up 100 of 300 epochs scaled to {@code epochs}, wd 0.1. */
    public static TrainingSchedule paperPretraining(int epochs) {
        return new TrainingSchedule(epochs, 32, 1e-4f, 0f, Math.min(epochs - 1, (int) Math.floor(epochs * 100.0 / 300.0)), 0.1f);
    }

    /** The paper's fine-tuning: batch 32, lr 1e-5 to 0, warm-up 150 of 400 epochs scaled to {@code epochs}, wd 0.1. */
    public static TrainingSchedule paperFineTuning(int epochs) {
        return new TrainingSchedule(epochs, 32, 1e-5f, 0f, Math.min(epochs - 1, (int) Math.floor(epochs * 150.0 / 400.0)), 0.1f);
    }

    /** The same schedule with another epoch count; the warm-up is kept, or shortened to fit. */
    public TrainingSchedule withEpochs(int value) {
        return new TrainingSchedule(value, batchSize, learningRate, finalLearningRate, Math.min(warmupEpochs, Math.max(0, value - 1)),
                weightDecay);
    }

    public TrainingSchedule withBatchSize(int value) {
        return new TrainingSchedule(epochs, value, learningRate, finalLearningRate, warmupEpochs, weightDecay);
    }

    public TrainingSchedule withLearningRate(float peak, float finalValue) {
        return new TrainingSchedule(epochs, batchSize, peak, finalValue, warmupEpochs, weightDecay);
    }

    public TrainingSchedule withWarmupEpochs(int value) {
        return new TrainingSchedule(epochs, batchSize, learningRate, finalLearningRate, value, weightDecay);
    }

    public TrainingSchedule withWeightDecay(float value) {
        return new TrainingSchedule(epochs, batchSize, learningRate, finalLearningRate, warmupEpochs, value);
    }

    /** The learning-rate tracker in optimiser steps for {@code stepsPerEpoch} steps per epoch. */
    public WarmupCosineTracker tracker(int stepsPerEpoch) {
        return new WarmupCosineTracker(learningRate, finalLearningRate, warmupEpochs * stepsPerEpoch, epochs * stepsPerEpoch);
    }

    /** A stable text of every value (part of the resume fingerprints). */
    public String fingerprint() {
        return String.format(Locale.ROOT, "epochs=%d batch=%d lr=%s->%s warmup=%d wd=%s", epochs, batchSize,
                Float.toString(learningRate), Float.toString(finalLearningRate), warmupEpochs, Float.toString(weightDecay));
    }
}
